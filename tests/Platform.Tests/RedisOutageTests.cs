using System.Diagnostics;
using System.Net;
using Platform.Redis;
using TestSupport;
using static Platform.Tests.OutageProbes;

namespace Platform.Tests;

public sealed class RedisOutageTests
{
    [Fact]
    public async Task A_hung_redis_leaves_cached_reads_serving_and_makes_what_needs_it_a_quick_503_never_a_500()
    {
        var (host, port) = RealRedis();
        await using var proxy = PausableProxy.To(host, port);
        await using var app = await PlatformTestApp.StartAsync(
            new()
            {
                ["RATE_LIMIT_REQUESTS"] = "1000000",
                ["REDIS_URL"] = RedisThrough(proxy.Port),
                ["REDIS_KEY_PREFIX"] = $"outage-{Guid.NewGuid():N}:",
            },
            b => b.AddRedis(), MapRedisProbes);
        await UntilAsync(app.Client, "/probe/needs-redis", answer => answer.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "Redis connected");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.Client, "/probe/cached")).StatusCode);

        proxy.Pause();

        // Long enough for every stage of a hang: calls timing out, then the connection declared dead and its calls cancelled.
        var answers = new List<(string Path, TimedAnswer Answer)>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(6))
        {
            var cached = GetAsync(app.Client, "/probe/cached");
            var needsRedis = GetAsync(app.Client, "/probe/needs-redis");
            answers.Add(("/probe/cached", await cached));
            answers.Add(("/probe/needs-redis", await needsRedis));
            await Task.Delay(50);
        }

        Assert.All(answers.Where(a => a.Path == "/probe/cached"), a => Assert.True(
            a.Answer.StatusCode == HttpStatusCode.OK && a.Answer.Elapsed < AnswerBound,
            $"a cached read answered {(int)a.Answer.StatusCode} in {a.Answer.Elapsed.TotalSeconds:0.0} s: {a.Answer.Body}"));
        Assert.All(answers.Where(a => a.Path == "/probe/needs-redis"), a => AssertQuick503(a.Answer, a.Path));
        var readiness = await UntilAsync(app.Client, "/health/ready", answer => CheckStatus(answer, "redis") == "down", ReadinessBound,
            "readiness naming Redis down");
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode); // Redis only caches here: degraded, still serving
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.Client, "/health/live")).StatusCode);

        proxy.Resume();

        await UntilAsync(app.Client, "/probe/needs-redis", answer => answer.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10),
            "Redis serving after recovery");
    }
}
