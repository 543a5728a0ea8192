using System.Net.Http.Json;
using System.Text.Json;
using Locations.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Locations.Tests.StoreBodies;

namespace Locations.Tests;

/// <summary>A database migrated where PostGIS is not installed: it has no geography column.</summary>
public sealed class WithoutPostGisFixture : LocationsFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["POSTGIS_ENABLED"] = "false" };

    public async Task DropPostGisColumnAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LocationsDb>().Database.ExecuteSqlRawAsync("ALTER TABLE stores DROP COLUMN IF EXISTS location");
    }
}

public sealed class WithoutPostGisTests(WithoutPostGisFixture locations) : IClassFixture<WithoutPostGisFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await locations.DropPostGisColumnAsync();
        await locations.SeedAsync<LocationsDb>(db =>
        {
            if (!db.Stores.Any())
            {
                db.Stores.AddRange(Entity("Near", 53.3417, -6.2599), Entity("Far", 53.2740, -9.0490));
            }
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_fallback_searches_without_postgis()
    {
        var found = await locations.CreateClient().GetFromJsonAsync<List<JsonElement>>("/api/locations/nearby?lat=53.3438&lon=-6.2546&radiusKm=100");

        Assert.Equal("Near", Assert.Single(found!).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Postgis_mode_refuses_to_start_on_it_and_says_why()
    {
        var check = new PostGisCheck(
            locations.Services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new LocationsOptions { PostGisEnabled = true }));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => check.RunAsync(CancellationToken.None));

        Assert.Contains("POSTGIS_ENABLED=false", failure.Message, StringComparison.Ordinal);
    }
}
