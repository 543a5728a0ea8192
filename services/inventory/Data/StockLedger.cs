using Inventory.Domain;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Data;

/// <summary>A product a reservation asked for more of than the location has available.</summary>
public sealed record ShortItem(Guid ProductId, int Requested, int Available);

/// <summary>
/// The stock side of reservations. Every change is one conditional <c>UPDATE</c>: PostgreSQL locks the row and
/// re-checks the condition after any concurrent writer commits, so no interleaving of requests, on any number of
/// tasks, can take availability below zero (and the check constraints on <c>stock</c> would refuse it if one did).
/// Callers run these inside their own transaction.
/// </summary>
public sealed class StockLedger(InventoryDb db)
{
    /// <summary>Holds every item, or reports each one that is short; on a report the caller rolls back.</summary>
    public async Task<List<ShortItem>> TryHoldAsync(Guid locationId, IReadOnlyCollection<ReservationItem> items, CancellationToken cancellationToken)
    {
        var shortOf = new List<ReservationItem>();
        // One order for every reservation, so two that share products wait for each other instead of deadlocking.
        foreach (var item in items.OrderBy(i => i.ProductId))
        {
            var held = await db.Stock
                .Where(s => s.ProductId == item.ProductId && s.LocationId == locationId && s.OnHand - s.Reserved >= item.Quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved + item.Quantity), cancellationToken);
            if (held == 0)
            {
                shortOf.Add(item);
            }
        }

        if (shortOf.Count == 0)
        {
            return [];
        }

        var ids = shortOf.Select(i => i.ProductId).ToList();
        var available = await db.Stock
            .Where(s => s.LocationId == locationId && ids.Contains(s.ProductId))
            .ToDictionaryAsync(s => s.ProductId, s => s.OnHand - s.Reserved, cancellationToken);
        return [.. shortOf.Select(i => new ShortItem(i.ProductId, i.Quantity, available.GetValueOrDefault(i.ProductId)))];
    }

    /// <summary>
    /// What a customer holds: their pending reservations (counted up to <paramref name="countUpTo"/>, which is all a
    /// limit needs), and the units of each of <paramref name="productIds"/> at <paramref name="locationId"/> across them,
    /// summed by PostgreSQL, so neither costs more for a customer with many reservations.
    /// </summary>
    public async Task<(int PendingReservations, Dictionary<Guid, int> UnitsHeld)> HeldByAsync(
        Guid customerId, Guid locationId, List<Guid> productIds, int countUpTo, CancellationToken cancellationToken)
    {
        var pending = await db.Reservations
            .Where(r => r.CustomerId == customerId && r.Status == ReservationStatus.Pending)
            .Take(countUpTo)
            .CountAsync(cancellationToken);
        var units = await db.Database.SqlQuery<UnitsHeld>($"""
            SELECT (item ->> 'ProductId')::uuid AS product_id, sum((item ->> 'Quantity')::int)::int AS units
            FROM reservations r CROSS JOIN LATERAL jsonb_array_elements(r.items) AS item
            WHERE r.customer_id = {customerId} AND r.status = 'Pending' AND r.location_id = {locationId}
              AND (item ->> 'ProductId')::uuid = ANY({productIds})
            GROUP BY 1
            """).ToDictionaryAsync(u => u.ProductId, u => u.Units, cancellationToken);
        return (pending, units);
    }

    private sealed record UnitsHeld(Guid ProductId, int Units);

    /// <summary>Releases a pending reservation's stock; false (and nothing changes) when it is no longer pending.</summary>
    public async Task<bool> ReleaseAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        if (!await MoveAsync(reservation, ReservationStatus.Pending, ReservationStatus.Released, paymentId: null, cancellationToken))
        {
            return false;
        }

        foreach (var item in reservation.Items.OrderBy(i => i.ProductId))
        {
            await db.Stock
                .Where(s => s.ProductId == item.ProductId && s.LocationId == reservation.LocationId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved - item.Quantity), cancellationToken);
        }

        return true;
    }

    /// <summary>Commits a pending reservation for a payment: its items leave the shelf (on hand and reserved both drop).</summary>
    public async Task<bool> CommitAsync(Reservation reservation, Guid paymentId, CancellationToken cancellationToken)
    {
        if (!await MoveAsync(reservation, ReservationStatus.Pending, ReservationStatus.Committed, paymentId, cancellationToken))
        {
            return false;
        }

        foreach (var item in reservation.Items.OrderBy(i => i.ProductId))
        {
            await db.Stock
                .Where(s => s.ProductId == item.ProductId && s.LocationId == reservation.LocationId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Reserved, x => x.Reserved - item.Quantity)
                    .SetProperty(x => x.OnHand, x => x.OnHand - item.Quantity), cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Commits a reservation that was released (it expired before the payment arrived) if every item is still
    /// available, taking them straight off the shelf. False when one is not; the caller then rolls back what this
    /// took (a savepoint) and the payment is refunded.
    /// </summary>
    public async Task<bool> TryCommitReleasedAsync(Reservation reservation, Guid paymentId, CancellationToken cancellationToken)
    {
        foreach (var item in reservation.Items.OrderBy(i => i.ProductId))
        {
            var taken = await db.Stock
                .Where(s => s.ProductId == item.ProductId && s.LocationId == reservation.LocationId && s.OnHand - s.Reserved >= item.Quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand - item.Quantity), cancellationToken);
            if (taken == 0)
            {
                return false;
            }
        }

        return await MoveAsync(reservation, ReservationStatus.Released, ReservationStatus.Committed, paymentId, cancellationToken);
    }

    private async Task<bool> MoveAsync(
        Reservation reservation, ReservationStatus from, ReservationStatus to, Guid? paymentId, CancellationToken cancellationToken)
    {
        var moved = await db.Reservations
            .Where(r => r.Id == reservation.Id && r.Status == from)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, to).SetProperty(x => x.PaymentId, x => paymentId ?? x.PaymentId), cancellationToken);
        if (moved == 1)
        {
            reservation.Status = to;
            reservation.PaymentId = paymentId ?? reservation.PaymentId;
        }

        return moved == 1;
    }
}
