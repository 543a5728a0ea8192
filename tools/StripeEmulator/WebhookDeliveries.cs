using System.Collections.Concurrent;

namespace StripeEmulator;

/// <summary>
/// What became of each event's webhook, for <c>GET /_emulator/webhooks</c>: tests and the benchmark see whether an event
/// was delivered, after how many attempts, or lost.
/// </summary>
public sealed class WebhookDeliveries
{
    public const string Delivered = "delivered";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
    public const string Dropped = "dropped";
    public const string NotConfigured = "not_configured";

    private readonly ConcurrentDictionary<string, WebhookDelivery> _deliveries = new(StringComparer.Ordinal);

    public void Record(EventObject stripeEvent, string status, int attempts) =>
        _deliveries[stripeEvent.Id] = new WebhookDelivery(stripeEvent.Id, stripeEvent.Type, status, attempts);

    public IReadOnlyList<WebhookDelivery> All() => [.. _deliveries.Values.OrderBy(d => d.EventId, StringComparer.Ordinal)];
}

public sealed record WebhookDelivery(string EventId, string EventType, string Status, int Attempts);
