using System.Net.Http.Json;
using System.Text.Json;
using Locations.Data;
using Locations.Domain;
using TestSupport;

namespace Locations.Tests;

public sealed class StoresApiTests(LocationsFixture locations) : IClassFixture<LocationsFixture>
{
    [Fact]
    public Task Ready_reports_postgres_and_redis_up() =>
        Readiness.AssertUpAsync(locations.CreateClient(), "postgres", "redis");

    [Fact]
    public async Task Stores_are_listed_from_postgres_filtered_by_city()
    {
        await locations.SeedAsync<LocationsDb>(db => db.Stores.AddRange(
            new Store { Name = "MyComputer Dublin", Address = "1 Grafton Street", City = "Dublin", Country = "IE", Latitude = 53.3425, Longitude = -6.2601, TimeZone = "Europe/Dublin" },
            new Store { Name = "MyComputer Paris", Address = "10 Rue de Rivoli", City = "Paris", Country = "FR", Latitude = 48.8559, Longitude = 2.3601, TimeZone = "Europe/Paris" }));

        var page = await locations.CreateClient().GetFromJsonAsync<JsonElement>("/api/locations/?city=Dublin");

        var store = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("MyComputer Dublin", store.GetProperty("name").GetString());
        Assert.Equal("Europe/Dublin", store.GetProperty("timeZone").GetString());
        Assert.Equal(53.3425, store.GetProperty("latitude").GetDouble(), 4);
    }
}
