using System.Diagnostics;
using Platform.Redis;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Platform.Tests;

/// <summary>
/// What OpenTelemetry's Redis instrumentation registers as its profiler is asked for a session only while a traced
/// request's span is current: an untraced one (nine in ten at 10 % sampling) profiles nothing.
/// </summary>
public sealed class SampledRedisProfilingTests
{
    [Fact]
    public async Task Redis_commands_are_profiled_under_a_traced_span_and_not_under_an_untraced_one()
    {
        using var source = new ActivitySource($"profiling-{Guid.NewGuid():N}");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            // As the platform's sampler does: a traced request's span is recorded, any other only carries the context.
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name == "traced" ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(listener);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(OutageProbes.RedisThrough(OutageProbes.RealRedis().Port)));
        var asked = 0;
        var session = new ProfilingSession();
        SampledRedisProfiling.Over(redis).RegisterProfiler(() =>
        {
            Interlocked.Increment(ref asked);
            return session;
        });
        var database = redis.GetDatabase();

        using (source.StartActivity("untraced"))
        {
            await database.PingAsync();
        }

        var askedWhileUntraced = asked;
        using (source.StartActivity("traced"))
        {
            await database.PingAsync();
        }

        Assert.Equal(0, askedWhileUntraced);
        Assert.True(asked > 0, "the profiler was never asked under the traced span");
        Assert.Contains(session.FinishProfiling(), command => command.Command == "PING");
    }
}
