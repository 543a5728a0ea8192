using Inventory.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Postgres;
using TestSupport;

namespace Inventory.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Two_instances_migrating_a_new_database_at_once_both_succeed_and_apply_each_migration_once()
    {
        var database = new TestDatabase("inventory_migrations");
        await database.CreateAsync();
        try
        {
            await Task.WhenAll(MigrateAsync(database), MigrateAsync(database), MigrateAsync(database));

            await using var db = Context(database);
            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.Equal(db.Database.GetMigrations(), applied);
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
            Assert.Equal((long)applied.Count, (long)(await count.ExecuteScalarAsync())!);
        }
        finally
        {
            await database.DropAsync();
        }
    }

    [Fact]
    public async Task Instances_starting_on_a_server_without_the_database_create_it_once_and_migrate_it()
    {
        var database = new TestDatabase("inventory_new_server");
        try
        {
            await Task.WhenAll(MigrateAsync(database), MigrateAsync(database), MigrateAsync(database));

            await using var db = Context(database);
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            await database.DropAsync();
        }
    }

    private static async Task MigrateAsync(TestDatabase database)
    {
        await using var db = Context(database);
        await db.MigrateExclusivelyAsync(CancellationToken.None);
    }

    private static InventoryDb Context(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<InventoryDb>();
        options.UseNpgsql(database.ConnectionString).UsePlatformConventions();
        return new InventoryDb(options.Options);
    }
}
