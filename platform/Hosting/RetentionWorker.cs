using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Postgres;

namespace Platform.Hosting;

/// <summary>One kind of row a service keeps only for a while: how to delete those older than a cutoff.</summary>
public sealed record RetentionRule<TContext>(string Name, TimeSpan KeepFor, Func<TContext, DateTimeOffset, CancellationToken, Task<int>> DeleteOlderThan)
    where TContext : DbContext;

/// <summary>
/// Deletes rows that have served their purpose (handled events, sent messages, old idempotency keys) once an hour, so
/// those tables do not grow for ever. Every task runs it; the deletes are idempotent, so running twice costs only time.
/// </summary>
public sealed class RetentionWorker<TContext>(
    IServiceScopeFactory scopes, IEnumerable<RetentionRule<TContext>> rules, TimeProvider time, ILogger<RetentionWorker<TContext>> logger)
    : PollingWorker(time, logger)
    where TContext : DbContext
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken)
    {
        await PurgeAsync(cancellationToken);
        return false;
    }

    /// <summary>Applies every rule once; returns how many rows went.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        db.Database.SetCommandTimeout(PostgresOptions.MaintenanceCommandTimeout);
        var total = 0;
        foreach (var rule in rules)
        {
            var deleted = await rule.DeleteOlderThan(db, Time.GetUtcNow() - rule.KeepFor, cancellationToken);
            if (deleted > 0)
            {
                Logger.LogInformation("Deleted {RowCount} {Rows} older than {KeepForDays} days", deleted, rule.Name, rule.KeepFor.TotalDays);
            }

            total += deleted;
        }

        return total;
    }
}

public static class RetentionExtensions
{
    /// <summary>Keeps <paramref name="rule"/>'s rows only for its time; the first rule for a context starts the worker.</summary>
    public static IHostApplicationBuilder AddRetention<TContext>(this IHostApplicationBuilder builder, RetentionRule<TContext> rule) where TContext : DbContext
    {
        if (!builder.Services.Any(s => s.ServiceType == typeof(RetentionWorker<TContext>)))
        {
            builder.Services.AddSingleton<RetentionWorker<TContext>>();
            builder.Services.AddHostedService(services => services.GetRequiredService<RetentionWorker<TContext>>());
        }

        builder.Services.AddSingleton(rule);
        return builder;
    }
}
