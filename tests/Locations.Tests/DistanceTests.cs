using System.Net.Http.Json;
using Locations.Data;

using static Locations.Tests.StoreBodies;

namespace Locations.Tests;

/// <summary>Distances against the geodesic distances between city centres on the WGS84 ellipsoid.</summary>
public sealed class DistanceTests(SearchFixture search) : IClassFixture<SearchFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => search.SeedAsync<LocationsDb>(db =>
    {
        if (!db.Stores.Any())
        {
            db.Stores.AddRange(Entity("London", 51.5074, -0.1278), Entity("Berlin", 52.5200, 13.4050), Entity("Lisbon", 38.7223, -9.1393));
        }
    });

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(true, "Dublin", 53.3498, -6.2603, "London", 464.58)]
    [InlineData(false, "Dublin", 53.3498, -6.2603, "London", 464.58)]
    [InlineData(true, "Paris", 48.8566, 2.3522, "Berlin", 879.70)]
    [InlineData(false, "Paris", 48.8566, 2.3522, "Berlin", 879.70)]
    [InlineData(true, "Madrid", 40.4168, -3.7038, "Lisbon", 503.41)]
    [InlineData(false, "Madrid", 40.4168, -3.7038, "Lisbon", 503.41)]
    public async Task The_distance_between_two_cities_is_within_half_a_percent_of_the_geodesic(
        bool postGis, string from, double latitude, double longitude, string to, double geodesicKm)
    {
        var found = await search.Client(postGis).GetFromJsonAsync<List<Found>>(
            $"/api/locations/nearby?lat={latitude}&lon={longitude}&radiusKm={SearchFixture.MaxRadiusKm}&limit=50");

        var store = Assert.Single(found!, s => s.Name == to);
        Assert.True(Math.Abs(store.DistanceKm - geodesicKm) <= geodesicKm * 0.005, $"{from}–{to}: {store.DistanceKm} km, geodesic {geodesicKm} km");
    }

    private sealed record Found(string Name, double DistanceKm);
}
