using System.Diagnostics.Metrics;
using Platform.Observability;

namespace Platform.Messaging;

/// <summary>
/// <c>events.received</c>: every message a consumer took, by event type and outcome (handled, duplicate: handled before,
/// failed, dead_lettered).
/// </summary>
public sealed class EventMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _received = meters.CreateApplicationMeter()
        .CreateCounter<long>("events.received", "{event}", "Events taken from a queue, by type and outcome.");

    // A type outside the contract is counted as "other", so a stray message cannot add a series.
    internal void Received(string? type, string outcome) =>
        _received.Add(1, new("event.type", type is not null && EventTypes.All.Contains(type) ? type : "other"), new("outcome", outcome));
}
