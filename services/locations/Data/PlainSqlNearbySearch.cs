using Locations.Domain;
using Npgsql;
using Platform.Postgres;

namespace Locations.Data;

/// <summary>
/// Without PostGIS: the search circle's <see cref="SearchBox"/> narrows the stores through the b-tree index on
/// (latitude, longitude), then the exact great-circle distance (haversine, on PostGIS's sphere) keeps those inside
/// the circle, nearest first. A hot read, as <see cref="PostGisNearbySearch"/> is.
/// </summary>
public sealed class PlainSqlNearbySearch(NpgsqlDataSource database) : INearbySearch
{
    // $1 latitude, $2 longitude, $3 radius in metres, $4 open now, $5 the instant, $6 the limit, $7-$12 the box.
    private const string Nearby = """
        SELECT id, metres
        FROM (SELECT s.id, great_circle_metres($1, $2, s.latitude, s.longitude) AS metres
              FROM stores s
              WHERE s.latitude BETWEEN $7 AND $8
                AND (s.longitude BETWEEN $9 AND $10 OR s.longitude BETWEEN $11 AND $12)
                AND (NOT $4 OR s.open_minutes_of_week @> minute_of_week($5 AT TIME ZONE s.time_zone))) candidates
        WHERE metres <= $3
        ORDER BY metres, id
        LIMIT $6
        """;

    public Task<List<StoreDistance>> FindAsync(NearbyQuery query, CancellationToken cancellationToken)
    {
        var box = SearchBox.Around(query.Latitude, query.Longitude, query.RadiusMetres);
        return database.QueryAsync(Nearby,
            [
                query.Latitude, query.Longitude, query.RadiusMetres, query.OpenNow, query.At, query.Limit,
                box.South, box.North, box.Longitudes.West, box.Longitudes.East, box.MoreLongitudes.West, box.MoreLongitudes.East,
            ],
            StoreDistance.From, cancellationToken);
    }
}
