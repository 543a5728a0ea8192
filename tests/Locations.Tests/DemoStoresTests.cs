using System.Net.Http.Json;
using System.Text.Json;
using Locations.Data;
using Platform.Hosting;
using TestSupport;

namespace Locations.Tests;

public sealed class DemoStoresTests(LocationsFixture locations) : IClassFixture<LocationsFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => locations.Services.LoadDemoDataAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void There_are_about_thirty_valid_stores_in_european_cities_with_distinct_ids()
    {
        var stores = DemoStores.Read();

        Assert.InRange(stores.Count, 25, 40);
        Assert.Equal(stores.Count, stores.Select(s => s.Id).Distinct().Count());
        Assert.All(stores, store => Assert.StartsWith("Europe/", store.TimeZone, StringComparison.Ordinal));
        Assert.All(stores, store => Assert.NotEmpty(store.OpeningHours));
    }

    [Theory]
    [InlineData(53.3438, -6.2546, "MyComputer Dublin Grafton Street")]                                 // Trinity College
    [InlineData(48.8809, 2.3553, "MyComputer Paris Rivoli", "MyComputer Paris La Défense")]             // Gare du Nord
    [InlineData(51.5308, -0.1238, "MyComputer London Tottenham Court Road", "MyComputer London Stratford")] // King's Cross
    [InlineData(52.5251, 13.3694, "MyComputer Berlin Alexanderplatz", "MyComputer Berlin Kurfürstendamm")] // Hauptbahnhof
    public async Task A_search_from_a_real_place_finds_the_demo_stores_nearest_first(double latitude, double longitude, params string[] expected)
    {
        var found = await locations.CreateClient().GetFromJsonAsync<List<JsonElement>>(
            $"/api/locations/nearby?lat={latitude}&lon={longitude}&radiusKm=25");

        Assert.Equal(expected, found!.Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Loading_again_adds_nothing_and_keeps_what_an_admin_changed()
    {
        var cork = DemoStores.Read().Single(s => s.City == "Cork");
        var admin = locations.ClientWithToken(TestTokens.Admin());
        var changed = await locations.CreateClient().GetFromJsonAsync<JsonElement>($"/api/locations/{cork.Id}");
        var body = System.Text.Json.Nodes.JsonNode.Parse(changed.GetRawText())!.AsObject();
        body["name"] = "MyComputer Cork (renamed)";
        (await admin.PutAsJsonAsync($"/api/locations/{cork.Id}", body)).EnsureSuccessStatusCode();

        await locations.Services.LoadDemoDataAsync(CancellationToken.None);

        var page = await locations.CreateClient().GetFromJsonAsync<JsonElement>("/api/locations/?pageSize=100");
        Assert.Equal(DemoStores.Read().Count, page.GetProperty("totalCount").GetInt32());
        var read = await locations.CreateClient().GetFromJsonAsync<JsonElement>($"/api/locations/{cork.Id}");
        Assert.Equal("MyComputer Cork (renamed)", read.GetProperty("name").GetString());
    }
}
