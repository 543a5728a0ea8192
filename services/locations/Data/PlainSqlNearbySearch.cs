using Locations.Domain;
using Microsoft.EntityFrameworkCore;

namespace Locations.Data;

/// <summary>
/// Without PostGIS: the search circle's <see cref="SearchBox"/> narrows the stores through the b-tree index on
/// (latitude, longitude), then the exact great-circle distance (haversine, on PostGIS's sphere) keeps those inside
/// the circle, nearest first.
/// </summary>
public sealed class PlainSqlNearbySearch(LocationsDb db) : INearbySearch
{
    public Task<List<StoreDistance>> FindAsync(NearbyQuery query, CancellationToken cancellationToken)
    {
        var box = SearchBox.Around(query.Latitude, query.Longitude, query.RadiusMetres);
        return db.Database.SqlQuery<StoreDistance>($"""
            SELECT id, metres
            FROM (SELECT s.id, great_circle_metres({query.Latitude}, {query.Longitude}, s.latitude, s.longitude) AS metres
                  FROM stores s
                  WHERE s.latitude BETWEEN {box.South} AND {box.North}
                    AND (s.longitude BETWEEN {box.Longitudes.West} AND {box.Longitudes.East}
                         OR s.longitude BETWEEN {box.MoreLongitudes.West} AND {box.MoreLongitudes.East})
                    AND (NOT {query.OpenNow} OR s.open_minutes_of_week @> minute_of_week({query.At} AT TIME ZONE s.time_zone))) candidates
            WHERE metres <= {query.RadiusMetres}
            ORDER BY metres, id
            LIMIT {query.Limit}
            """).ToListAsync(cancellationToken);
    }
}
