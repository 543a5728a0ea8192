using Npgsql;

namespace TestSupport;

/// <summary>A throw-away database on the test server, so each test class has data of its own.</summary>
public sealed class TestDatabase
{
    public TestDatabase(string service) => Name = $"{service}_test_{Guid.NewGuid():N}";

    public string Name { get; }

    public async Task CreateAsync()
    {
        await using var admin = await OpenAdminAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    public string ConnectionString => Builder(Name).ConnectionString;

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(Builder("postgres").ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static NpgsqlConnectionStringBuilder Builder(string database) => new()
    {
        Host = TestEnvironment.Require("DB_HOST"),
        Port = int.Parse(TestEnvironment.Require("DB_PORT"), System.Globalization.CultureInfo.InvariantCulture),
        Username = TestEnvironment.Require("DB_USER"),
        Password = TestEnvironment.Require("DB_PASSWORD"),
        Database = database,
        Pooling = false,
    };
}
