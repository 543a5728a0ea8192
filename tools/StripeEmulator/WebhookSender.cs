namespace StripeEmulator;

/// <summary>
/// Delivers an event's webhook: the first attempt before the API call that raised it answers (so a confirm's webhook
/// has arrived when the confirm returns), then <see cref="WebhookRetries"/> in the background if it failed. The drop
/// rate of <see cref="Faults"/> loses an event outright, with no retry, as if Stripe never sent it.
/// </summary>
public sealed class WebhookSender(
    WebhookPoster poster, WebhookRetries retries, WebhookRetryOptions options, WebhookDeliveries deliveries, Faults faults,
    IHostApplicationLifetime lifetime, ILogger<WebhookSender> logger)
{
    public const string Client = "webhooks";

    public async Task DeliverAsync(EventObject stripeEvent)
    {
        if (!poster.Configured)
        {
            logger.LogInformation("No STRIPE_WEBHOOK_URL and WEBHOOK_ENDPOINT_SECRET; {EventType} {EventId} is not delivered",
                stripeEvent.Type, stripeEvent.Id);
            deliveries.Record(stripeEvent, WebhookDeliveries.NotConfigured, 0);
            return;
        }

        if (faults.Happens(faults.Settings.DropWebhookRate))
        {
            logger.LogInformation("Injected loss: webhook {EventType} {EventId} is never delivered", stripeEvent.Type, stripeEvent.Id);
            deliveries.Record(stripeEvent, WebhookDeliveries.Dropped, 0);
            return;
        }

        // Not the API caller's cancellation: the event happened whether or not its caller waits for the answer.
        if (!await poster.TryAsync(stripeEvent, 1, options.MaxAttempts == 1, lifetime.ApplicationStopping) && options.MaxAttempts > 1)
        {
            retries.Schedule(stripeEvent);
        }
    }
}
