using Microsoft.EntityFrameworkCore;

namespace Locations.Data;

/// <summary>
/// PostGIS: <c>ST_DWithin</c> filters through the GiST index on the geography column and <c>&lt;-&gt;</c> orders
/// nearest first from the same index. Distances are on the sphere (<c>use_spheroid =&gt; false</c>), as great-circle
/// distances are, and as the fallback measures them.
/// </summary>
public sealed class PostGisNearbySearch(LocationsDb db) : INearbySearch
{
    public Task<List<StoreDistance>> FindAsync(NearbyQuery query, CancellationToken cancellationToken)
    {
        return db.Database.SqlQuery<StoreDistance>($"""
            SELECT s.id, ST_Distance(s.location, origin.point, false) AS metres
            FROM stores s,
                 (SELECT ST_SetSRID(ST_MakePoint({query.Longitude}, {query.Latitude}), 4326)::geography AS point) origin
            WHERE ST_DWithin(s.location, origin.point, {query.RadiusMetres}, false)
              AND (NOT {query.OpenNow} OR s.open_minutes_of_week @> minute_of_week({query.At} AT TIME ZONE s.time_zone))
            ORDER BY s.location <-> origin.point, s.id
            LIMIT {query.Limit}
            """).ToListAsync(cancellationToken);
    }
}
