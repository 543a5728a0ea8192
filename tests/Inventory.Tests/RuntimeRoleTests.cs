using Inventory.Data;
using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Postgres;
using TestSupport;

namespace Inventory.Tests;

/// <summary>
/// A migration run as the owner (<c>DB_MIGRATION_USER</c>) sets up the service's own role as <c>migrate</c> does: it may
/// connect to its own database alone, read and write its tables, and neither alter, drop nor create any.
/// </summary>
public sealed class RuntimeRoleTests
{
    private const string InsufficientPrivilege = "42501";

    [Fact]
    public async Task The_role_a_migration_sets_up_reads_and_writes_its_tables_but_cannot_drop_alter_create_or_reach_another_database()
    {
        var (ours, theirs) = (new TestDatabase("inventory_role"), new TestDatabase("inventory_role"));
        var (role, other) = ($"inventory_role_{Guid.NewGuid():N}"[..28], $"other_role_{Guid.NewGuid():N}"[..28]);
        try
        {
            await MigrateAsOwnerAsync(ours, role, "first password");
            await MigrateAsOwnerAsync(theirs, other, "their password");

            await using (var db = Context(As(ours, role, "first password")))
            {
                var product = new Product { Sku = "ROLE-1", Name = "Mouse", Category = "accessories", PriceCents = 2_900, Currency = "EUR" };
                db.Products.Add(product);
                await db.SaveChangesAsync();
                product.Name = "Quiet mouse";
                await db.SaveChangesAsync();
                db.Products.Remove(product);
                await db.SaveChangesAsync();
            }

            await using var connection = new NpgsqlConnection(As(ours, role, "first password"));
            await connection.OpenAsync();
            foreach (var forbidden in new[]
            {
                "DROP TABLE products", "ALTER TABLE products ADD COLUMN planted text", "TRUNCATE products",
                "CREATE TABLE planted (id int)", "DELETE FROM \"__EFMigrationsHistory\"",
            })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, forbidden));
                Assert.True(refused.SqlState == InsufficientPrivilege, $"{forbidden}: {refused.SqlState} {refused.MessageText}");
            }

            await using var elsewhere = new NpgsqlConnection(As(theirs, role, "first password"));
            var denied = await Assert.ThrowsAsync<PostgresException>(() => elsewhere.OpenAsync());
            Assert.Equal(InsufficientPrivilege, denied.SqlState);
        }
        finally
        {
            await ours.DropAsync();
            await theirs.DropAsync();
            await DropRolesAsync(ours, role, other);
        }
    }

    [Fact]
    public async Task Migrating_again_with_a_rotated_password_keeps_the_grants_and_retires_the_old_password()
    {
        var database = new TestDatabase("inventory_role");
        var role = $"inventory_role_{Guid.NewGuid():N}"[..28];
        try
        {
            await MigrateAsOwnerAsync(database, role, "before the rotation");
            await MigrateAsOwnerAsync(database, role, "after the rotation");

            await using var rotated = new NpgsqlConnection(As(database, role, "after the rotation"));
            await rotated.OpenAsync();
            await ExecuteAsync(rotated, "SELECT count(*) FROM products");
            await using var old = new NpgsqlConnection(As(database, role, "before the rotation"));
            var refused = await Assert.ThrowsAsync<PostgresException>(() => old.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        }
        finally
        {
            await database.DropAsync();
            await DropRolesAsync(database, role);
        }
    }

    private static async Task MigrateAsOwnerAsync(TestDatabase database, string role, string password)
    {
        await using var db = Context(database.ConnectionString);
        await db.MigrateExclusivelyAsync(CancellationToken.None, (owner, ct) => RuntimeRole.EnsureAsync(owner, role, password, ct));
    }

    private static InventoryDb Context(string connectionString)
    {
        var options = new DbContextOptionsBuilder<InventoryDb>();
        options.UseNpgsql(connectionString).UsePlatformConventions();
        return new InventoryDb(options.Options);
    }

    private static string As(TestDatabase database, string role, string password) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // Their databases are gone, and with them every privilege and default privilege they held.
    private static async Task DropRolesAsync(TestDatabase admin, params string[] roles)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        foreach (var role in roles)
        {
            await using var drop = new NpgsqlCommand("SELECT format('DROP ROLE IF EXISTS %I', @role)", connection);
            drop.Parameters.AddWithValue("role", role);
            await ExecuteAsync(connection, (string)(await drop.ExecuteScalarAsync())!);
        }
    }
}
