using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TestSupport;
using static Locations.Tests.StoreBodies;

namespace Locations.Tests;

/// <summary>
/// <c>openNow</c> is decided on each store's own wall clock: past midnight, and on the days the clocks change
/// (in 2026, 29 March and 25 October in the EU), where a fixed offset from UTC would be an hour out.
/// </summary>
public sealed class OpenNowTests(SearchFixture search) : IClassFixture<SearchFixture>, IAsyncLifetime
{
    private const string FromLondon = "/api/locations/nearby?lat=51.5074&lon=-0.1278&radiusKm=2000&limit=50&openNow=true";

    public async Task InitializeAsync()
    {
        if (await search.CountStoresAsync() > 0)
        {
            return;
        }

        var admin = search.ClientWithToken(TestTokens.Admin());
        foreach (var store in new[]
        {
            Store("London late", "London", 51.5232, -0.1362, "Europe/London", Interval("friday", "18:00", "02:00")),
            Store("London Sunday", "London", 51.5431, -0.0062, "Europe/London", Interval("sunday", "09:00", "17:00")),
            Store("Berlin night", "Berlin", 52.5215, 13.4130, "Europe/Berlin", Interval("saturday", "22:00", "04:00")),
            Store("Dublin always", "Dublin", 53.3417, -6.2599, "Europe/Dublin",
                [.. Enum.GetNames<DayOfWeek>().Select(day => Interval(day.ToLowerInvariant(), "00:00", "00:00"))]),
            NeverOpen(Store("Dublin never", "Dublin", 53.3420, -6.2600, "Europe/Dublin")),
        })
        {
            (await admin.PostAsJsonAsync("/api/locations/", store)).EnsureSuccessStatusCode();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    // Friday 18:00 to 02:00 in London, in summer time (UTC+1).
    [InlineData("2026-06-12T16:30:00Z", "Dublin always")]                 // Friday 17:30, not yet
    [InlineData("2026-06-12T17:30:00Z", "Dublin always", "London late")]  // Friday 18:30
    [InlineData("2026-06-13T00:30:00Z", "Dublin always", "London late")]  // Saturday 01:30, past midnight
    [InlineData("2026-06-13T01:30:00Z", "Dublin always")]                 // Saturday 02:30, closed
    // Sunday 09:00 to 17:00 in London on 29 March 2026: the clocks go forward at 01:00 UTC.
    [InlineData("2026-03-29T08:30:00Z", "Dublin always", "London Sunday")] // 09:30 BST (08:30 by the winter offset)
    [InlineData("2026-03-29T16:30:00Z", "Dublin always")]                  // 17:30 BST, closed
    // ... and on 25 October 2026, when they go back at 01:00 UTC.
    [InlineData("2026-10-25T08:30:00Z", "Dublin always")]                  // 08:30 GMT (09:30 by the summer offset)
    [InlineData("2026-10-25T16:30:00Z", "Dublin always", "London Sunday")] // 16:30 GMT
    // Saturday 22:00 to Sunday 04:00 in Berlin, over the night the clocks change.
    [InlineData("2026-03-29T01:30:00Z", "Berlin night", "Dublin always")]  // 03:30 CEST, an hour after the change
    [InlineData("2026-03-29T02:30:00Z", "Dublin always")]                  // 04:30 CEST, closed (03:30 by the winter offset)
    [InlineData("2026-10-25T02:30:00Z", "Berlin night", "Dublin always")]  // 03:30 CET, after the change (04:30 by the summer offset)
    [InlineData("2026-10-25T03:30:00Z", "Dublin always")]                  // 04:30 CET, closed
    public async Task Only_stores_open_at_that_moment_in_their_own_time_zone_are_found(string utc, params string[] open)
    {
        search.Clock.Set(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        foreach (var postGis in new[] { true, false })
        {
            var found = await search.Client(postGis).GetFromJsonAsync<List<JsonElement>>(FromLondon);

            Assert.Equal(open, found!.Select(s => s.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Without_openNow_every_store_is_found()
    {
        search.Clock.Set(new DateTimeOffset(2026, 6, 13, 1, 30, 0, TimeSpan.Zero));

        var found = await search.CreateClient().GetFromJsonAsync<List<JsonElement>>(FromLondon.Replace("&openNow=true", "", StringComparison.Ordinal));
        var explicitlyNot = await search.CreateClient()
            .GetFromJsonAsync<List<JsonElement>>(FromLondon.Replace("openNow=true", "openNow=false", StringComparison.Ordinal));

        Assert.Equal(5, found!.Count);
        Assert.Equal(5, explicitlyNot!.Count);
    }

    private static JsonObject NeverOpen(JsonObject store)
    {
        store["openingHours"] = new JsonArray();
        return store;
    }
}
