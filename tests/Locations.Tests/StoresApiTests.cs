using System.Net.Http.Json;
using System.Text.Json;
using Locations.Data;
using Locations.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Locations.Tests;

public sealed class StoresApiTests(LocationsFixture locations) : IClassFixture<LocationsFixture>
{
    [Fact]
    public async Task Ready_reports_postgres_and_redis_up()
    {
        var report = await locations.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");

        Assert.Equal("up", report.GetProperty("status").GetString());
        Assert.Equal("up", report.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("up", report.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stores_are_listed_from_postgres_filtered_by_city()
    {
        await using (var scope = locations.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LocationsDb>();
            db.Stores.Add(new Store { Name = "MyComputer Dublin", Address = "1 Grafton Street", City = "Dublin", Country = "IE", Latitude = 53.3425, Longitude = -6.2601, TimeZone = "Europe/Dublin" });
            db.Stores.Add(new Store { Name = "MyComputer Paris", Address = "10 Rue de Rivoli", City = "Paris", Country = "FR", Latitude = 48.8559, Longitude = 2.3601, TimeZone = "Europe/Paris" });
            await db.SaveChangesAsync();
        }

        var page = await locations.CreateClient().GetFromJsonAsync<JsonElement>("/api/locations/?city=Dublin");

        var store = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("MyComputer Dublin", store.GetProperty("name").GetString());
        Assert.Equal("Europe/Dublin", store.GetProperty("timeZone").GetString());
        Assert.Equal(53.3425, store.GetProperty("latitude").GetDouble(), 4);
    }
}
