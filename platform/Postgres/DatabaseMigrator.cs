using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Postgres;

/// <summary>Applies a service's pending EF Core migrations.</summary>
public interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// EF Core (9 and later) takes a database-wide migration lock (Npgsql: a lock on <c>__EFMigrationsLock</c>)
/// around <c>Migrate</c>, so two tasks starting at once apply each migration exactly once; the second waits,
/// then finds nothing left to do.
/// </summary>
internal sealed class DatabaseMigrator<TContext>(IServiceScopeFactory scopes, ILogger<DatabaseMigrator<TContext>> logger) : IDatabaseMigrator
    where TContext : DbContext
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        logger.LogInformation("Applying pending migrations to {DbContext}", typeof(TContext).Name);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
