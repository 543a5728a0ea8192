using Npgsql;
using StackExchange.Redis;

namespace Security.Tests;

/// <summary>
/// Least privilege in the data stores, on the stack as <c>./dev test</c> runs it (each service with its own credentials,
/// as on AWS): a compromised service reaches only its own data. Its PostgreSQL role may connect to its own database alone,
/// and there read and write its tables but not alter, drop or create any; its Redis user may touch only its own prefix.
/// </summary>
public sealed class DataStoreLeastPrivilege
{
    private const string InsufficientPrivilege = "42501";

    public static TheoryData<string, string> EveryOtherDatabase()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var service in Stack.Services)
        {
            foreach (var database in Stack.Services.Where(database => database != service))
            {
                pairs.Add(service, database);
            }
        }

        return pairs;
    }

    [StackTheory]
    [MemberData(nameof(EveryOtherDatabase))]
    public async Task A_services_database_role_cannot_connect_to_another_services_database(string service, string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(service, database));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal(InsufficientPrivilege, refused.SqlState);
        Assert.Contains($"permission denied for database \"{database}\"", refused.Message, StringComparison.Ordinal);
    }

    [StackFact]
    public async Task Locations_cannot_read_the_customers_table_which_customers_reads_with_its_own_role()
    {
        await using (var customers = await OpenAsync("customers", "customers"))
        {
            await using var read = new NpgsqlCommand("SELECT count(*) FROM customers", customers);
            Assert.True((long)(await read.ExecuteScalarAsync())! >= 1, "customers' own role reads its table (the admin account is there)");
        }

        await using var locations = new NpgsqlConnection(ConnectionString("locations", "customers"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => locations.OpenAsync());
        Assert.Equal(InsufficientPrivilege, refused.SqlState);
    }

    public static TheoryData<string, string> OwnTables => new()
    {
        { "inventory", "stock" },
        { "customers", "customers" },
        { "payments", "payments" },
        { "locations", "stores" },
    };

    [StackTheory]
    [MemberData(nameof(OwnTables))]
    public async Task A_services_role_reads_and_writes_its_tables_but_cannot_drop_alter_or_create_any(string service, string table)
    {
        await using var connection = await OpenAsync(service, service);
        await using (var role = new NpgsqlCommand(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = current_user", connection))
        {
            Assert.False((bool)(await role.ExecuteScalarAsync())!, $"{service}'s role has an administrative attribute");
        }

        // Each attempt in a transaction rolled back, so a failing test leaves the stack as it was.
        await UnderRollbackAsync(connection, $"SELECT count(*) FROM {table}");
        await UnderRollbackAsync(connection, $"DELETE FROM {table} WHERE false");
        foreach (var forbidden in new[]
        {
            $"DROP TABLE {table}",
            $"ALTER TABLE {table} ADD COLUMN planted text",
            $"TRUNCATE {table}",
            "CREATE TABLE planted (id int)",
            "DELETE FROM \"__EFMigrationsHistory\"",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => UnderRollbackAsync(connection, forbidden));
            Assert.True(refused.SqlState == InsufficientPrivilege, $"{forbidden} as {service}: {refused.SqlState} {refused.MessageText}");
        }
    }

    [StackFact]
    public async Task Inventorys_redis_user_cannot_read_or_write_customers_keys_but_can_its_own()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisOptions("inventory"));
        var db = redis.GetDatabase();
        var own = $"inventory:security-{Guid.NewGuid():N}";

        Assert.True(await db.StringSetAsync(own, "mine", TimeSpan.FromMinutes(1)));
        Assert.Equal("mine", await db.StringGetAsync(own));
        foreach (var forbidden in new Func<Task>[]
        {
            () => db.StringGetAsync("customers:session:anything"),
            () => db.StringSetAsync("customers:session:planted", "admin"),
            () => db.KeyDeleteAsync("customers:session:anything"),
            () => db.StringSetAsync("planted-outside-any-prefix", "x"),
            () => db.ExecuteAsync("KEYS", "customers:*"),
            () => db.ExecuteAsync("SCAN", "0"),
            () => db.ExecuteAsync("FLUSHALL"),
        })
        {
            var refused = await Assert.ThrowsAsync<RedisServerException>(forbidden);
            Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
        }

        await db.KeyDeleteAsync(own);
    }

    [StackFact]
    public async Task Redis_answers_nobody_who_names_no_user()
    {
        var url = new Uri(Variable("STACK_REDIS_INVENTORY"));
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(url.Host, url.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("GET inventory:anything\r\n"u8.ToArray());
        var answer = new byte[256];
        var read = await stream.ReadAsync(answer);

        Assert.StartsWith("-NOAUTH", System.Text.Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
    }

    private static async Task UnderRollbackAsync(NpgsqlConnection connection, string sql)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string service, string database)
    {
        var connection = new NpgsqlConnection(ConnectionString(service, database));
        await connection.OpenAsync();
        return connection;
    }

    // STACK_DB_LOCATIONS: the connection string of locations' own role, without a database (tools/dev/test.sh).
    private static string ConnectionString(string service, string database) =>
        new NpgsqlConnectionStringBuilder(Variable($"STACK_DB_{service.ToUpperInvariant()}")) { Database = database, Pooling = false }.ConnectionString;

    // STACK_REDIS_INVENTORY: inventory's REDIS_URL, redis://inventory:password@host:port.
    private static ConfigurationOptions RedisOptions(string service)
    {
        var url = new Uri(Variable($"STACK_REDIS_{service.ToUpperInvariant()}"));
        var credentials = url.UserInfo.Split(':', 2);
        return new ConfigurationOptions
        {
            EndPoints = { { url.Host, url.Port } },
            User = Uri.UnescapeDataString(credentials[0]),
            Password = Uri.UnescapeDataString(credentials[1]),
            AbortOnConnectFail = false,
        };
    }

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: the security suite runs against the stack ./dev test starts.");
}
