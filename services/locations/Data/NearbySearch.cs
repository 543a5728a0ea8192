using Microsoft.Extensions.Options;
using Platform.Postgres;

namespace Locations.Data;

/// <summary>A nearest-store search: stores within a radius, nearest first, optionally only those open at an instant.</summary>
public sealed record NearbyQuery(double Latitude, double Longitude, double RadiusMetres, int Limit, DateTimeOffset? OpenAt)
{
    public bool OpenNow => OpenAt.HasValue;

    /// <summary>The instant "open" is decided at; any value when <see cref="OpenNow"/> is false, as SQL parameters are never null here.</summary>
    public DateTimeOffset At => OpenAt ?? DateTimeOffset.UnixEpoch;
}

/// <summary>A store found by a <see cref="NearbyQuery"/>, with its great-circle distance.</summary>
public sealed record StoreDistance(Guid Id, double Metres)
{
    public static StoreDistance From(Row row) => new(row.Get<Guid>("id"), row.Get<double>("metres"));
}

/// <summary>
/// The two ways to answer a <see cref="NearbyQuery"/>, which must give the same stores in the same order:
/// PostGIS (<see cref="PostGisNearbySearch"/>) and plain SQL (<see cref="PlainSqlNearbySearch"/>).
/// </summary>
public interface INearbySearch
{
    Task<List<StoreDistance>> FindAsync(NearbyQuery query, CancellationToken cancellationToken);
}

public static class NearbySearchExtensions
{
    /// <summary>The search <c>POSTGIS_ENABLED</c> chooses, and the start-up check that PostGIS mode has what it needs.</summary>
    public static IHostApplicationBuilder AddNearbySearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<INearbySearch>(services =>
            services.GetRequiredService<IOptions<LocationsOptions>>().Value.PostGisEnabled
                ? ActivatorUtilities.CreateInstance<PostGisNearbySearch>(services)
                : ActivatorUtilities.CreateInstance<PlainSqlNearbySearch>(services));
        builder.Services.AddSingleton<Platform.Hosting.IStartupTask, PostGisCheck>();
        return builder;
    }
}
