using System.Threading.Channels;

namespace StripeEmulator;

/// <summary>
/// Retries webhooks whose first delivery failed, in the background as Stripe does: exponential backoff per
/// <see cref="WebhookRetryOptions"/>, each event on its own schedule. At shutdown the waits end and the remaining
/// retries are abandoned (the emulator keeps nothing across restarts).
/// </summary>
public sealed class WebhookRetries(WebhookPoster poster, WebhookRetryOptions options, TimeProvider time, ILogger<WebhookRetries> logger) : BackgroundService
{
    private readonly Channel<EventObject> _failed = Channel.CreateUnbounded<EventObject>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Takes an event whose first attempt failed.</summary>
    public void Schedule(EventObject stripeEvent) => _failed.Writer.TryWrite(stripeEvent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (var stripeEvent in _failed.Reader.ReadAllAsync(stoppingToken))
            {
                running.RemoveAll(retry => retry.IsCompleted);
                running.Add(RetryAsync(stripeEvent, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the retries in flight see the same token and end.
        }

        await Task.WhenAll(running);
    }

    private async Task RetryAsync(EventObject stripeEvent, CancellationToken stoppingToken)
    {
        try
        {
            for (var attempt = 2; attempt <= options.MaxAttempts; attempt++)
            {
                var delay = options.DelayBefore(attempt);
                logger.LogInformation("Webhook {EventType} {EventId}: attempt {Attempt} of {MaxAttempts} in {Delay}",
                    stripeEvent.Type, stripeEvent.Id, attempt, options.MaxAttempts, delay);
                await Task.Delay(delay, time, stoppingToken);
                if (await poster.TryAsync(stripeEvent, attempt, attempt == options.MaxAttempts, stoppingToken))
                {
                    return;
                }
            }

            logger.LogWarning("Webhook {EventType} {EventId} given up after {MaxAttempts} attempts", stripeEvent.Type, stripeEvent.Id, options.MaxAttempts);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Webhook {EventType} {EventId}: retries abandoned at shutdown", stripeEvent.Type, stripeEvent.Id);
        }
    }
}
