using Npgsql;
using Platform.Postgres;

namespace Locations.Data;

/// <summary>
/// PostGIS: <c>ST_DWithin</c> filters through the GiST index on the geography column and <c>&lt;-&gt;</c> orders
/// nearest first from the same index. Distances are on the sphere (<c>use_spheroid =&gt; false</c>), as great-circle
/// distances are, and as the fallback measures them. A hot read (the platform's HotReads): through EF Core, this
/// statement was planned again on every call, one caller at a time.
/// </summary>
public sealed class PostGisNearbySearch(NpgsqlDataSource database) : INearbySearch
{
    // $1 longitude, $2 latitude, $3 radius in metres, $4 open now, $5 the instant, $6 the limit.
    private const string Nearby = """
        SELECT s.id, ST_Distance(s.location, origin.point, false) AS metres
        FROM stores s,
             (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS point) origin
        WHERE ST_DWithin(s.location, origin.point, $3, false)
          AND (NOT $4 OR s.open_minutes_of_week @> minute_of_week($5 AT TIME ZONE s.time_zone))
        ORDER BY s.location <-> origin.point, s.id
        LIMIT $6
        """;

    public Task<List<StoreDistance>> FindAsync(NearbyQuery query, CancellationToken cancellationToken) =>
        database.QueryAsync(Nearby, [query.Longitude, query.Latitude, query.RadiusMetres, query.OpenNow, query.At, query.Limit],
            StoreDistance.From, cancellationToken);
}
