using System.Net.Http.Json;
using System.Text.Json;
using Locations.Data;
using Locations.Domain;

using static Locations.Tests.StoreBodies;

namespace Locations.Tests;

/// <summary>PostGIS and the plain-SQL fallback, over the same database, must find the same stores in the same order.</summary>
public sealed class SearchModesTests(SearchFixture search) : IClassFixture<SearchFixture>, IAsyncLifetime
{
    private const int RandomStores = 3000;

    public async Task InitializeAsync()
    {
        if (await search.CountStoresAsync() > 0)
        {
            return;
        }

        // Stores scattered over Europe, the same every run, plus small clusters across the antimeridian (Fiji) and
        // around the North Pole, where a naive bounding box goes wrong.
        var random = new Random(2026);
        await search.SeedAsync<LocationsDb>(db =>
        {
            for (var i = 0; i < RandomStores; i++)
            {
                db.Stores.Add(Entity($"Random {i:0000}", 35 + random.NextDouble() * 35, -10 + random.NextDouble() * 45));
            }

            db.Stores.AddRange(
                Entity("Fiji east of the antimeridian", -16.5, 179.95),
                Entity("Fiji west of the antimeridian", -16.5, -179.95),
                Entity("Fiji far west", -16.5, -179.0),
                Entity("Fiji far east", -16.5, 179.0),
                Entity("Pole, Greenwich side", 89.95, 0),
                Entity("Pole, Asian side", 89.95, 90),
                Entity("Pole, date line side", 89.95, 180),
                Entity("Pole, American side", 89.95, -90),
                Entity("Svalbard, far from the pole", 89.0, 15));
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Both_modes_return_the_same_stores_in_the_same_order_with_the_same_distances()
    {
        var random = new Random(7);
        var compared = 0;
        for (var query = 0; query < 60; query++)
        {
            var (latitude, longitude) = (36 + random.NextDouble() * 33, -9 + random.NextDouble() * 43);
            var radiusKm = Math.Round(5 + random.NextDouble() * (query % 3 == 0 ? 1995 : 195), 3);
            var path = $"/api/locations/nearby?lat={latitude:R}&lon={longitude:R}&radiusKm={radiusKm:R}&limit=50";

            var postGis = await FindAsync(true, path);
            var fallback = await FindAsync(false, path);

            Assert.Equal(postGis.Select(s => s.Id), fallback.Select(s => s.Id));
            foreach (var (withPostGis, withFallback) in postGis.Zip(fallback))
            {
                Assert.Equal(withPostGis.DistanceKm, withFallback.DistanceKm, Math.Max(0.001, withPostGis.DistanceKm * 0.001));
                Assert.True(withPostGis.DistanceKm <= radiusKm);
            }

            Assert.True(postGis.Select(s => s.DistanceKm).SequenceEqual(postGis.Select(s => s.DistanceKm).Order()), "nearest first");
            compared += postGis.Count;
        }

        Assert.True(compared > 500, $"the queries should find plenty of stores to compare, found {compared}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_search_across_the_antimeridian_finds_the_stores_on_both_sides(bool postGis)
    {
        var found = await FindAsync(postGis, "/api/locations/nearby?lat=-16.5&lon=179.99&radiusKm=50");

        Assert.Equal(["Fiji east of the antimeridian", "Fiji west of the antimeridian"], found.Select(s => s.Name));
        Assert.Equal(4.27, found[0].DistanceKm, 0.01); // 0.04° of longitude at 16.5° S
        Assert.Equal(6.40, found[1].DistanceKm, 0.01);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_search_at_the_pole_finds_stores_at_every_longitude(bool postGis)
    {
        var found = await FindAsync(postGis, "/api/locations/nearby?lat=90&lon=0&radiusKm=100");

        // 0.05° of latitude from the pole is 5.56 km whatever the longitude: four stores at one distance.
        Assert.Equal(
            ["Pole, American side", "Pole, Asian side", "Pole, Greenwich side", "Pole, date line side"],
            found.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(found, store => Assert.Equal(5.56, store.DistanceKm, 0.01));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_search_near_the_pole_reaches_across_it(bool postGis)
    {
        var found = await FindAsync(postGis, "/api/locations/nearby?lat=89.9&lon=-90&radiusKm=30");

        Assert.Equal(4, found.Count);
        Assert.Equal("Pole, American side", found[0].Name); // 5.56 km, on the searcher's side
        Assert.Equal(5.56, found[0].DistanceKm, 0.01);
        Assert.Equal(12.43, found[1].DistanceKm, 0.01);      // Greenwich and date line sides, a quarter turn away
        Assert.Equal(12.43, found[2].DistanceKm, 0.01);
        Assert.Equal("Pole, Asian side", found[3].Name);    // 16.68 km, over the pole
        Assert.Equal(16.68, found[3].DistanceKm, 0.01);
    }

    private async Task<List<Found>> FindAsync(bool postGis, string path) =>
        (await search.Client(postGis).GetFromJsonAsync<List<Found>>(path))!;

    private sealed record Found(Guid Id, string Name, double DistanceKm);
}
