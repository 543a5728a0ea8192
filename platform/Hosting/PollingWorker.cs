using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Hosting;

/// <summary>
/// A background worker that works in batches: while a batch says more is waiting it runs the next at once, otherwise it
/// waits <see cref="Interval"/>. A failed batch is logged and tried again on the next round, so the work stays queued
/// rather than lost. A call that timed out is a failed batch too: only the host stopping ends the worker, since an
/// exception escaping a background service stops the whole process.
/// </summary>
public abstract class PollingWorker(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Does one batch of work; true when more is waiting.</summary>
    protected abstract Task<bool> RunBatchAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunBatchAsync(stoppingToken))
                {
                }
            }
            catch (Exception exception) when (exception.IsNotStopping(stoppingToken))
            {
                Logger.LogError(exception, "{Worker} failed; it tries again in {IntervalSeconds} s", GetType().Name, Interval.TotalSeconds);
            }

            await Task.Delay(Interval, Time, stoppingToken);
        }
    }
}
