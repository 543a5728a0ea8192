using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Errors;
using Platform.Redis;
using StackExchange.Redis;

namespace Platform.Tests;

/// <summary>The fail-open cache under a Redis that cancels its calls, as StackExchange.Redis does to calls a hung connection holds.</summary>
public sealed class FailOpenCacheTests
{
    [Fact]
    public async Task A_read_whose_redis_calls_are_cancelled_is_served_from_the_source()
    {
        var redis = CancellingRedis.Create();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var cache = new FailOpenCache(redis, new RedisKeyspace(redis, "tests:"), new DependencyFailures([]), meters.GetRequiredService<IMeterFactory>(),
            NullLogger<FailOpenCache>.Instance);

        var inFamily = await cache.GetOrCreateJsonInFamilyAsync("products", "products", "page:1", TimeSpan.FromMinutes(1),
            _ => Task.FromResult("from-source"), CancellationToken.None);

        Assert.Equal("\"from-source\""u8.ToArray(), inFamily);
        Assert.False(await cache.InvalidateFamilyAsync("products"));
    }

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
