using System.Diagnostics.Metrics;
using Platform.Observability;

namespace Inventory.Reservations;

/// <summary>
/// What happens to reservations, counted once each change is committed: <c>reservations.created</c>,
/// <c>reservations.refused</c> (by reason), <c>reservations.committed</c> and <c>reservations.released</c> (by cause).
/// </summary>
public sealed class ReservationMetrics
{
    private readonly Counter<long> _created;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _released;

    public ReservationMetrics(IMeterFactory meters)
    {
        var meter = meters.CreateApplicationMeter();
        _created = meter.CreateCounter<long>("reservations.created", "{reservation}", "Reservations made.");
        _refused = meter.CreateCounter<long>("reservations.refused", "{reservation}", "Reservations refused, by reason.");
        _committed = meter.CreateCounter<long>("reservations.committed", "{reservation}", "Reservations paid for.");
        _released = meter.CreateCounter<long>("reservations.released", "{reservation}", "Reservations released, by cause.");
    }

    public void Made() => _created.Add(1);

    /// <summary><paramref name="reason"/>: <c>not_enough_stock</c>, or the per-customer limit's variable in lower case.</summary>
    public void RefusedBecause(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Paid() => _committed.Add(1);

    /// <summary><paramref name="cause"/>: <c>customer</c>, <c>expired</c>, <c>payment_failed</c> or <c>customer_erased</c>.</summary>
    public void Released(string cause, int count = 1)
    {
        if (count > 0)
        {
            _released.Add(count, new KeyValuePair<string, object?>("cause", cause));
        }
    }
}
