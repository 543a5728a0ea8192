using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TestSupport;

namespace Locations.Tests;

public class LocationsFixture() : ServiceFixture<Program>("locations")
{
    /// <summary>How many stores the list counts, in one city or in all.</summary>
    public async Task<int> CountStoresAsync(string? city = null) =>
        (await CreateClient().GetFromJsonAsync<JsonElement>(city is null ? "/api/locations/" : $"/api/locations/?city={Uri.EscapeDataString(city)}"))
            .GetProperty("totalCount").GetInt32();
}

/// <summary>
/// Locations with a clock the test sets (for "open now"), a cap wide enough for city-to-city distances, and the same
/// service in both search modes over one database: <see cref="Client"/> with PostGIS or with the plain-SQL fallback.
/// </summary>
public sealed class SearchFixture : LocationsFixture
{
    public const double MaxRadiusKm = 2000;

    private readonly Lazy<WebApplicationFactory<Program>> _fallback;

    public SearchFixture() =>
        _fallback = new(() => WithWebHostBuilder(host => host.UseSetting("POSTGIS_ENABLED", "false")));

    public ManualClock Clock { get; } = new();

    public HttpClient Client(bool postGis) => postGis ? CreateClient() : _fallback.Value.CreateClient();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["POSTGIS_ENABLED"] = "true",
        ["MAX_SEARCH_RADIUS"] = MaxRadiusKm.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
    }
}
