using System.ComponentModel.DataAnnotations;

namespace Locations;

public sealed class LocationsOptions
{
    /// <summary>Nearest-store search with PostGIS; false uses the plain-SQL fallback.</summary>
    [ConfigurationKeyName("POSTGIS_ENABLED")]
    public bool PostGisEnabled { get; set; } = true;

    /// <summary>The largest radius, in kilometres, a nearby search may ask for.</summary>
    [ConfigurationKeyName("MAX_SEARCH_RADIUS"), Range(1, 20_000)]
    public double MaxSearchRadiusKm { get; set; } = 100;
}
