using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Hosting;
using Platform.Postgres;
using static Platform.Tests.OutageProbes;

namespace Platform.Tests;

public sealed class PoolWarmUpTests
{
    [Fact]
    public async Task A_task_opens_its_minimum_pool_before_it_serves_and_keeps_it()
    {
        var database = $"warm_up_{Guid.NewGuid():N}";
        await using var admin = NpgsqlDataSource.Create(DependencyFailuresTests.RealDatabase());
        await using (var create = admin.CreateCommand($"CREATE DATABASE {database}")) // a name made here, not input
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var (host, port) = RealPostgres();
            var settings = PostgresThrough(port);
            settings["DB_HOST"] = host;
            settings["DB_NAME"] = database;
            settings["DB_MIN_POOL_SIZE"] = "3";
            await using var app = await PlatformTestApp.StartAsync(settings, b => b.AddPostgres<ProbeDb>());
            Assert.Equal(0, await ConnectionsToAsync(admin, database));

            await app.App.Services.RunStartupTasksAsync(CancellationToken.None);

            Assert.Equal(3, await ConnectionsToAsync(admin, database));
            // And kept: Npgsql prunes idle connections down to the minimum, not below.
            var pool = app.App.Services.GetRequiredService<NpgsqlDataSource>();
            Assert.Equal(3, new NpgsqlConnectionStringBuilder(pool.ConnectionString).MinPoolSize);
        }
        finally
        {
            await using var drop = admin.CreateCommand($"DROP DATABASE {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_database_that_is_not_there_does_not_stop_the_task_from_starting()
    {
        var settings = PostgresThrough(DependencyFailuresTests.ClosedPort());
        settings["DB_MIN_POOL_SIZE"] = "3";
        await using var app = await PlatformTestApp.StartAsync(settings, b => b.AddPostgres<ProbeDb>());

        // Refused at once: the warm-up gives up and the task serves, its readiness saying PostgreSQL is down.
        await app.App.Services.RunStartupTasksAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await app.Client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    private static async Task<long> ConnectionsToAsync(NpgsqlDataSource admin, string database)
    {
        await using var count = admin.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @database");
        count.Parameters.AddWithValue("database", database);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
