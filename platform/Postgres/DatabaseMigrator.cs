using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Secrets;

namespace Platform.Postgres;

/// <summary>Applies a service's pending EF Core migrations.</summary>
public interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Migrates as <c>DB_USER</c>, or, with <c>DB_MIGRATION_USER</c> set, as that owner role, which then sets up the
/// runtime role's least privilege (<see cref="RuntimeRole"/>) under the same lock.
/// </summary>
internal sealed class DatabaseMigrator<TContext>(
    IServiceScopeFactory scopes, IOptions<PostgresOptions> options, SecretStore secrets, ILogger<DatabaseMigrator<TContext>> logger) : IDatabaseMigrator
    where TContext : DbContext
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var postgres = options.Value;
        if (!postgres.SeparateMigrationRole)
        {
            logger.LogInformation("Applying pending migrations to {DbContext}", typeof(TContext).Name);
            await scope.ServiceProvider.GetRequiredService<TContext>().MigrateExclusivelyAsync(cancellationToken);
            return;
        }

        var ownerPassword = await secrets.GetAsync(PostgresExtensions.MigrationPasswordSecret, cancellationToken);
        var runtimePassword = await secrets.GetAsync(PostgresExtensions.PasswordSecret, cancellationToken);
        var ownerOptions = new DbContextOptionsBuilder<TContext>()
            .UseNpgsql(postgres.MigrationConnectionString(ownerPassword))
            .UsePlatformConventions()
            .Options;
        await using var db = ActivatorUtilities.CreateInstance<TContext>(scope.ServiceProvider, ownerOptions);
        logger.LogInformation("Applying pending migrations to {DbContext} as {MigrationUser}, then granting {DbUser} its privileges",
            typeof(TContext).Name, postgres.MigrationUser, postgres.User);
        await db.MigrateExclusivelyAsync(cancellationToken, (connection, ct) => RuntimeRole.EnsureAsync(connection, postgres.User, runtimePassword, ct));
    }
}

public static class ExclusiveMigrations
{
    // Any constant will do: each service has a database of its own.
    private const long MigrationLockKey = 0x4D79436F6D707574; // "MyComput"

    /// <summary>
    /// Applies pending migrations while holding a session-level advisory lock, so tasks starting at once migrate one
    /// after the other and each migration runs exactly once. EF Core's own migration lock (Npgsql: a table lock) lasts
    /// only as long as a transaction, and it did not cover a run of several migrations: with two pending, three tasks
    /// starting at once had two of them apply the same one (tests/Inventory.Tests/MigrationTests.cs).
    /// </summary>
    /// <param name="thenUnderLock">What runs after the migrations on the same connection, still under the lock.</param>
    public static async Task MigrateExclusivelyAsync(
        this DbContext db, CancellationToken cancellationToken, Func<NpgsqlConnection, CancellationToken, Task>? thenUnderLock = null)
    {
        db.Database.SetCommandTimeout(PostgresOptions.MaintenanceCommandTimeout);
        await CreateDatabaseIfMissingAsync(db, cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                if (thenUnderLock is not null)
                {
                    await thenUnderLock((NpgsqlConnection)db.Database.GetDbConnection(), cancellationToken);
                }
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A new RDS instance has only its <c>postgres</c> database, and the lock above needs the service's own, so the
    /// first migrator creates it; tasks racing to do so all go on once one of them has.
    /// </summary>
    private static async Task CreateDatabaseIfMissingAsync(DbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another task created it first.
        }
    }
}
