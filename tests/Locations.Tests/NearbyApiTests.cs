using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;
using static Locations.Tests.StoreBodies;

namespace Locations.Tests;

/// <summary>The nearby search's contract with the default cap (MAX_SEARCH_RADIUS=100).</summary>
public sealed class NearbyApiTests(LocationsFixture locations) : IClassFixture<LocationsFixture>, IAsyncLifetime
{
    private const string Trinity = "lat=53.3438&lon=-6.2546";

    public async Task InitializeAsync()
    {
        if (await locations.CountStoresAsync() > 0)
        {
            return;
        }

        // A store every 2 km going west from Trinity College, Dublin: 0.2 km, 2.2 km, 4.2 km, ... 58.2 km away.
        for (var i = 0; i < 30; i++)
        {
            var longitude = -6.2576 - i * 2 / (111.32 * Math.Cos(53.3438 * Math.PI / 180));
            var response = await locations.ClientWithToken(TestTokens.Admin())
                .PostAsJsonAsync("/api/locations/", Store($"MyComputer West {i:00}", "Dublin", 53.3438, Math.Round(longitude, 6)));
            response.EnsureSuccessStatusCode();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Stores_come_nearest_first_with_their_distance_and_10_by_default()
    {
        var found = await NearbyAsync($"{Trinity}&radiusKm=100");

        Assert.Equal(10, found.Count);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"MyComputer West {i:00}")], found.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(0.2, found[0].GetProperty("distanceKm").GetDouble(), 0.01);
        Assert.Equal(18.2, found[9].GetProperty("distanceKm").GetDouble(), 0.05);
        Assert.Equal("Europe/Dublin", found[0].GetProperty("timeZone").GetString());
        Assert.NotEqual(JsonValueKind.Undefined, found[0].GetProperty("openingHours").ValueKind);
    }

    [Fact]
    public async Task The_radius_and_the_limit_bound_the_answer()
    {
        var withinTen = await NearbyAsync($"{Trinity}&radiusKm=10&limit=50");
        var firstThree = await NearbyAsync($"{Trinity}&radiusKm=100&limit=3");
        var all = await NearbyAsync($"{Trinity}&radiusKm=100&limit=50");

        Assert.Equal(5, withinTen.Count); // 0.2, 2.2, 4.2, 6.2 and 8.2 km
        Assert.Equal(3, firstThree.Count);
        Assert.Equal(30, all.Count);
    }

    [Fact]
    public async Task The_radius_defaults_to_the_cap_and_the_cap_itself_is_allowed()
    {
        var byDefault = await NearbyAsync($"{Trinity}&limit=50");
        var atTheCap = await locations.CreateClient().GetAsync($"/api/locations/nearby?{Trinity}&radiusKm=100");

        Assert.Equal(30, byDefault.Count);
        Assert.Equal(HttpStatusCode.OK, atTheCap.StatusCode);
    }

    [Theory]
    [InlineData("lat=53.3&lon=-6.2&radiusKm=100.001", "radiusKm")]
    [InlineData("lat=53.3&lon=-6.2&radiusKm=0", "radiusKm")]
    [InlineData("lat=53.3&lon=-6.2&radiusKm=-5", "radiusKm")]
    [InlineData("lat=53.3&lon=-6.2&radiusKm=NaN", "radiusKm")]
    [InlineData("lat=90.0001&lon=0", "lat")]
    [InlineData("lat=-91&lon=0", "lat")]
    [InlineData("lat=NaN&lon=0", "lat")]
    [InlineData("lon=0", "lat")]
    [InlineData("lat=0&lon=180.5", "lon")]
    [InlineData("lat=0&lon=-181", "lon")]
    [InlineData("lat=0", "lon")]
    [InlineData("lat=0&lon=0&limit=0", "limit")]
    [InlineData("lat=0&lon=0&limit=51", "limit")]
    public async Task Out_of_range_parameters_are_400_naming_them(string query, string field)
    {
        var response = await locations.CreateClient().GetAsync($"/api/locations/nearby?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    [Theory]
    [InlineData("lat=north&lon=0")]
    [InlineData("lat=0&lon=0&limit=ten")]
    [InlineData("lat=0&lon=0&openNow=maybe")]
    public async Task Unreadable_parameters_are_400(string query)
    {
        var response = await locations.CreateClient().GetAsync($"/api/locations/nearby?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<List<JsonElement>> NearbyAsync(string query) =>
        [.. (await locations.CreateClient().GetFromJsonAsync<JsonElement>($"/api/locations/nearby?{query}")).EnumerateArray()];
}
