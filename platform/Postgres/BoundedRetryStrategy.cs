using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Platform.Postgres;

/// <summary>
/// Npgsql's retrying execution strategy (the same transient failures, exponential back-off), bounded in time: a retry
/// starts only while the operation is younger than the budget, so a database that is gone costs a request one or two
/// connect timeouts, not the 27 s that EF Core's default six retries took.
/// </summary>
internal sealed class BoundedRetryStrategy(ExecutionStrategyDependencies dependencies, TimeSpan budget)
    : NpgsqlRetryingExecutionStrategy(dependencies, MaxRetries, LongestRetryDelay, errorCodesToAdd: null)
{
    /// <summary>At most this many retries, however short the failures.</summary>
    public const int MaxRetries = 3;

    /// <summary>The longest pause between two attempts.</summary>
    public static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(1);

    private long _started;

    protected override void OnFirstExecution()
    {
        base.OnFirstExecution();
        _started = Stopwatch.GetTimestamp();
    }

    protected override TimeSpan? GetNextDelay(Exception lastException) =>
        base.GetNextDelay(lastException) is { } delay && Stopwatch.GetElapsedTime(_started) + delay <= budget ? delay : null;
}
