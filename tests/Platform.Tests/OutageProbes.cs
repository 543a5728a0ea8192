using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Redis;
using TestSupport;

namespace Platform.Tests;

/// <summary>A context with no tables: the EF Core path of a request is a query through it.</summary>
public sealed class ProbeDb(DbContextOptions<ProbeDb> options) : DbContext(options);

/// <summary>Endpoints that need one dependency each, and how a test times and reads their answers.</summary>
internal static class OutageProbes
{
    /// <summary>The longest an answer may take during an outage: the budgets aim at 5 s; this is a bound, not a benchmark.</summary>
    public static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(8);

    /// <summary>How soon readiness must say a dependency is down (its checks time out at 1.5 s).</summary>
    public static readonly TimeSpan ReadinessBound = TimeSpan.FromSeconds(3);

    public static void MapPostgresProbes(WebApplication app)
    {
        app.MapGet("/probe/ef", async (ProbeDb db, CancellationToken ct) =>
            TypedResults.Ok(await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\"").SingleAsync(ct)));
        app.MapGet("/probe/npgsql", async (NpgsqlDataSource database, CancellationToken ct) =>
        {
            await using var command = database.CreateCommand("SELECT 1");
            return TypedResults.Ok((int)(await command.ExecuteScalarAsync(ct))!);
        });
    }

    public static void MapRedisProbes(WebApplication app)
    {
        app.MapGet("/probe/cached", async (FailOpenCache cache, CancellationToken ct) =>
            TypedResults.Bytes(await cache.GetOrCreateJsonInFamilyAsync(
                "probe", "probes", "probe", TimeSpan.FromMinutes(1), _ => Task.FromResult("from-source"), ct), "application/json"));
        app.MapGet("/probe/needs-redis", async (RedisKeyspace redis) =>
            TypedResults.Ok((long)await redis.Database.StringIncrementAsync("probe-counter")));
    }

    public static Dictionary<string, string?> PostgresThrough(int port) => new()
    {
        ["DB_HOST"] = "127.0.0.1",
        ["DB_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DB_NAME"] = "postgres",
    };

    public static (string Host, int Port) RealPostgres() =>
        (TestEnvironment.Require("DB_HOST"), int.Parse(TestEnvironment.Require("DB_PORT"), System.Globalization.CultureInfo.InvariantCulture));

    public static (string Host, int Port) RealRedis()
    {
        var url = new Uri(TestEnvironment.Require("REDIS_URL"));
        return (url.Host, url.Port);
    }

    /// <summary>The test Redis's <c>REDIS_URL</c>, its user and password included, reached through a proxy on <paramref name="port"/>.</summary>
    public static string RedisThrough(int port) =>
        new UriBuilder(TestEnvironment.Require("REDIS_URL")) { Host = "127.0.0.1", Port = port }.Uri.AbsoluteUri;

    public static async Task<TimedAnswer> GetAsync(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return new TimedAnswer(response.StatusCode, watch.Elapsed, response.Headers.RetryAfter?.Delta, body);
    }

    /// <summary>Polls until <paramref name="holds"/> says the answer is the awaited one, or fails after <paramref name="within"/>.</summary>
    public static async Task<TimedAnswer> UntilAsync(HttpClient client, string path, Func<TimedAnswer, bool> holds, TimeSpan within, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var answer = await GetAsync(client, path);
            if (holds(answer))
            {
                return answer with { Elapsed = watch.Elapsed };
            }

            Assert.True(watch.Elapsed < within, $"{what} did not happen within {within.TotalSeconds} s; last answer {(int)answer.StatusCode}: {answer.Body}");
            await Task.Delay(100);
        }
    }

    public static string CheckStatus(TimedAnswer readiness, string check) =>
        JsonDocument.Parse(readiness.Body).RootElement.GetProperty("checks").GetProperty(check).GetProperty("status").GetString()!;

    public static void AssertQuick503(TimedAnswer answer, string path)
    {
        Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path} answered {(int)answer.StatusCode}: {answer.Body}");
        Assert.True(answer.Elapsed < AnswerBound, $"{path} took {answer.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(TimeSpan.FromSeconds(5), answer.RetryAfter);
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("A dependency of this service is unavailable; retry shortly.", problem.GetProperty("detail").GetString());
    }
}

public sealed record TimedAnswer(HttpStatusCode StatusCode, TimeSpan Elapsed, TimeSpan? RetryAfter, string Body);
