using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Hosting;

namespace Locations.Data;

/// <summary>
/// Stops a PostGIS-mode start on a database that has no geography column (PostGIS was not installed when it was
/// migrated) with a message that says so, rather than failing every nearby search.
/// </summary>
public sealed class PostGisCheck(IServiceScopeFactory scopes, IOptions<LocationsOptions> options) : IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.PostGisEnabled)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LocationsDb>();
        var hasLocation = await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_schema = current_schema() AND table_name = 'stores' AND column_name = 'location') AS "Value"
            """).SingleAsync(cancellationToken);
        if (!hasLocation)
        {
            throw new InvalidOperationException(
                "POSTGIS_ENABLED=true, but the stores table has no PostGIS location column: PostGIS was not installed when the " +
                "database was migrated. Install PostGIS (postgresql-<version>-postgis-3) before the first migration, or run with POSTGIS_ENABLED=false.");
        }
    }
}
