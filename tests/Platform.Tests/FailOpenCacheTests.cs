using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Errors;
using Platform.Redis;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Platform.Tests;

/// <summary>
/// The fail-open cache's families on the real Redis: a hit is one command, and a write's invalidation makes every entry a
/// miss, even after the generation's key was lost; and under a Redis that cancels its calls, as StackExchange.Redis does
/// to calls a hung connection holds.
/// </summary>
public sealed class FailOpenCacheTests : IDisposable
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task A_hit_in_a_family_is_one_redis_command_and_an_invalidation_makes_the_next_read_a_miss()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(OutageProbes.RedisThrough(OutageProbes.RealRedis().Port)));
        var session = new ProfilingSession();
        redis.RegisterProfiler(() => session);
        var cache = CacheOn(redis, new RedisKeyspace(redis, $"tests:{Guid.NewGuid():N}:"));
        var loads = 0;
        Task<byte[]> ReadAsync() => cache.GetOrCreateJsonInFamilyAsync("products", "products", "page:1", TimeSpan.FromMinutes(1),
            _ => Task.FromResult($"version {Interlocked.Increment(ref loads)}"), CancellationToken.None);

        var first = await ReadAsync();
        session.FinishProfiling();
        var hit = await ReadAsync();
        var hitCommands = session.FinishProfiling().Select(command => command.Command).ToList();
        Assert.True(await cache.InvalidateFamilyAsync("products"));
        var afterInvalidation = await ReadAsync();
        var hitAgain = await ReadAsync();

        Assert.Equal("\"version 1\""u8.ToArray(), first);
        Assert.Equal(first, hit);
        Assert.Equal(["MGET"], hitCommands);
        Assert.Equal("\"version 2\""u8.ToArray(), afterInvalidation);
        Assert.Equal(afterInvalidation, hitAgain);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task An_invalidation_after_the_generation_was_lost_does_not_bring_back_an_entry_written_before()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(OutageProbes.RedisThrough(OutageProbes.RealRedis().Port)));
        var keyspace = new RedisKeyspace(redis, $"tests:{Guid.NewGuid():N}:");
        var cache = CacheOn(redis, keyspace);
        var version = "before";
        Task<byte[]> ReadAsync() => cache.GetOrCreateJsonInFamilyAsync("products", "products", "page:1", TimeSpan.FromMinutes(1),
            _ => Task.FromResult(version), CancellationToken.None);

        Assert.True(await cache.InvalidateFamilyAsync("products"));
        var cachedBefore = await ReadAsync();
        // The generation's key is lost (evicted or flushed), and then a write changes the source and invalidates.
        Assert.True(await keyspace.Database.KeyDeleteAsync("generation:products"));
        version = "after";
        Assert.True(await cache.InvalidateFamilyAsync("products"));
        var afterWrite = await ReadAsync();

        Assert.Equal("\"before\""u8.ToArray(), cachedBefore);
        Assert.Equal("\"after\""u8.ToArray(), afterWrite);
    }

    [Fact]
    public async Task A_generation_the_cache_did_not_write_is_served_from_the_source_and_cached_nowhere()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(OutageProbes.RedisThrough(OutageProbes.RealRedis().Port)));
        var keyspace = new RedisKeyspace(redis, $"tests:{Guid.NewGuid():N}:");
        var cache = CacheOn(redis, keyspace);
        await keyspace.Database.StringSetAsync("generation:products", "not a number");

        var read = await cache.GetOrCreateJsonInFamilyAsync("products", "products", "page:1", TimeSpan.FromMinutes(1),
            _ => Task.FromResult("from-source"), CancellationToken.None);

        Assert.Equal("\"from-source\""u8.ToArray(), read);
        Assert.False(await keyspace.Database.KeyExistsAsync("products:stamped:page:1"));
    }

    [Fact]
    public async Task A_read_whose_redis_calls_are_cancelled_is_served_from_the_source()
    {
        var redis = CancellingRedis.Create();
        var cache = CacheOn(redis, new RedisKeyspace(redis, "tests:"));

        var inFamily = await cache.GetOrCreateJsonInFamilyAsync("products", "products", "page:1", TimeSpan.FromMinutes(1),
            _ => Task.FromResult("from-source"), CancellationToken.None);

        Assert.Equal("\"from-source\""u8.ToArray(), inFamily);
        Assert.False(await cache.InvalidateFamilyAsync("products"));
    }

    private FailOpenCache CacheOn(IConnectionMultiplexer redis, RedisKeyspace keyspace) =>
        new(redis, keyspace, new DependencyFailures([]), _meters.GetRequiredService<IMeterFactory>(), NullLogger<FailOpenCache>.Instance);

#pragma warning disable CA1852 // DispatchProxy needs an unsealed type
    /// <summary>A connected multiplexer whose every call is cancelled, with the task state its keyspace gives it.</summary>
    public class CancellingRedis : DispatchProxy
#pragma warning restore CA1852
    {
        public static IConnectionMultiplexer Create() => Create<IConnectionMultiplexer, CancellingRedis>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var returns = targetMethod!.ReturnType;
            if (returns == typeof(bool) && targetMethod.Name == "get_IsConnected")
            {
                return true;
            }

            if (returns == typeof(StackExchange.Redis.IDatabase))
            {
                return Create<StackExchange.Redis.IDatabase, CancellingRedis>();
            }

            if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var source = Activator.CreateInstance(typeof(TaskCompletionSource<>).MakeGenericType(returns.GetGenericArguments()), RedisKeyspace.TaskState)!;
                source.GetType().GetMethod("SetCanceled", Type.EmptyTypes)!.Invoke(source, null);
                return source.GetType().GetProperty("Task")!.GetValue(source);
            }

            return returns.IsValueType ? Activator.CreateInstance(returns) : null;
        }
    }
}
