using System.Diagnostics.Metrics;
using Payments.Domain;
using Platform.Observability;

namespace Payments.Flows;

/// <summary>
/// <c>payments.settled</c>: payments whose attempt Stripe decided, by outcome (succeeded, failed: declined, canceled),
/// counted once the change is committed; <c>payments.webhook.delay</c>: how long after Stripe made an event it reached us.
/// </summary>
public sealed class PaymentMetrics
{
    private readonly Counter<long> _settled;
    private readonly Histogram<double> _webhookDelay;

    public PaymentMetrics(IMeterFactory meters)
    {
        var meter = meters.CreateApplicationMeter();
        _settled = meter.CreateCounter<long>("payments.settled", "{payment}", "Payments Stripe decided, by outcome.");
        _webhookDelay = meter.CreateHistogram<double>("payments.webhook.delay", "s", "From Stripe making an event to its webhook reaching payments.");
    }

    /// <summary>Counts a payment that moved to <paramref name="status"/>, when that status is an outcome.</summary>
    public void Moved(string status)
    {
        if (status is PaymentStatus.Succeeded or PaymentStatus.Failed or PaymentStatus.Canceled)
        {
            _settled.Add(1, new KeyValuePair<string, object?>("outcome", status));
        }
    }

    public void WebhookArrived(DateTime createdAtUtc, DateTimeOffset now) =>
        _webhookDelay.Record(Math.Max(0, (now - new DateTimeOffset(createdAtUtc, TimeSpan.Zero)).TotalSeconds));
}
