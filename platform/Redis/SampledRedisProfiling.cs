using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Platform.Redis;

/// <summary>
/// The view of the multiplexer OpenTelemetry's Redis instrumentation is given. That instrumentation opens a profiling
/// session for every request, traced or not, and its one thread later turns each session's commands into spans or
/// drops them: at 10 % sampling nine sessions in ten are work for nothing, on every cached read (bench/analysis.md).
/// Everything passes through to the real multiplexer except the profiler it registers, which is asked for a session
/// only while a traced request's span is current.
/// </summary>
internal class SampledRedisProfiling : DispatchProxy
{
    /// <summary>The key this view is registered under, for the instrumentation to resolve.</summary>
    public const string ServiceKey = "platform:redis-profiled-when-traced";

    private IConnectionMultiplexer _redis = null!;

    public static IConnectionMultiplexer Over(IConnectionMultiplexer redis)
    {
        var view = Create<IConnectionMultiplexer, SampledRedisProfiling>();
        ((SampledRedisProfiling)(object)view)._redis = redis;
        return view;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IConnectionMultiplexer.RegisterProfiler) && args is [Func<ProfilingSession?> sessions])
        {
            _redis.RegisterProfiler(() => Activity.Current is { Recorded: true } ? sessions() : null);
            return null;
        }

        // The view does not own the multiplexer: the container disposes that once, after everything that uses it.
        if (targetMethod.Name == nameof(IDisposable.Dispose))
        {
            return null;
        }

        if (targetMethod.Name == nameof(IAsyncDisposable.DisposeAsync))
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            return targetMethod.Invoke(_redis, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }
}
