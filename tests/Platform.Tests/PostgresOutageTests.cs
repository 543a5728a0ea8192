using System.Net;
using Platform.Postgres;
using TestSupport;
using static Platform.Tests.OutageProbes;

namespace Platform.Tests;

public sealed class PostgresOutageTests
{
    [Fact]
    public async Task A_hung_database_is_a_quick_503_on_ef_and_npgsql_paths_readiness_names_it_and_recovers()
    {
        var (host, port) = RealPostgres();
        await using var proxy = PausableProxy.To(host, port);
        await using var app = await PlatformTestApp.StartAsync(PostgresThrough(proxy.Port), b => b.AddPostgres<ProbeDb>(), MapPostgresProbes);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.Client, "/probe/ef")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.Client, "/probe/npgsql")).StatusCode);

        proxy.Pause();

        await AssertDatabaseDownAsync(app.Client);

        proxy.Resume();

        await UntilAsync(app.Client, "/health/ready", answer => answer.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10),
            "readiness 200 after recovery");
        await UntilAsync(app.Client, "/probe/ef", answer => answer.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10),
            "the EF path serving after recovery");
    }

    [Fact]
    public async Task A_database_that_accepts_connections_and_never_answers_is_a_quick_503_and_not_ready()
    {
        await using var blackHole = PausableProxy.BlackHole();
        await using var app = await PlatformTestApp.StartAsync(PostgresThrough(blackHole.Port), b => b.AddPostgres<ProbeDb>(), MapPostgresProbes);

        await AssertDatabaseDownAsync(app.Client);
    }

    /// <summary>Both data paths answer a quick 503, readiness names PostgreSQL down in time, and liveness stays up.</summary>
    private static async Task AssertDatabaseDownAsync(HttpClient client)
    {
        AssertQuick503(await GetAsync(client, "/probe/ef"), "/probe/ef");
        AssertQuick503(await GetAsync(client, "/probe/npgsql"), "/probe/npgsql");
        var readiness = await GetAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.True(readiness.Elapsed < ReadinessBound, $"readiness took {readiness.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal("down", CheckStatus(readiness, "postgres"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).StatusCode);
    }
}
