using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Platform.Postgres;

namespace Inventory.Data;

/// <summary>
/// The stock side of reservations. A reservation's stock is held under a lock on its stock rows (taken in
/// <see cref="Shelf.InLockOrder"/>), and releases and commits are conditional <c>UPDATE</c>s that PostgreSQL re-checks
/// after any concurrent writer commits, so no interleaving of requests, on any number of tasks, can take availability
/// below zero (and the check constraints on <c>stock</c> would refuse it if one did). Callers run these inside their own
/// transaction.
/// </summary>
public sealed class StockLedger(InventoryDb db)
{
    /// <summary>
    /// Makes the reservations of these customers one transaction at a time (the locks last until the commit), so two
    /// at once cannot both fit under a limit only one of them fits under. Taken in one order, before any stock row.
    /// </summary>
    public async Task LockCustomersAsync(IEnumerable<Guid> customerIds, CancellationToken cancellationToken)
    {
        string[] keys = [.. customerIds.Order().Select(id => $"reservations-of:{id}")];
        await db.Database.ExecuteSqlAsync($"""
            SELECT pg_advisory_xact_lock(hashtextextended(k.key, 0))
            FROM unnest({keys}) WITH ORDINALITY AS k(key, n)
            ORDER BY k.n
            """, cancellationToken);
    }

    /// <summary>
    /// What these customers hold: their pending reservations (counted up to <paramref name="countUpTo"/>, which is all a
    /// limit needs), and the units of each of <paramref name="productIds"/> at each store across them, summed by
    /// PostgreSQL, so neither costs more for a customer with many reservations.
    /// </summary>
    public async Task<CustomerHoldings> HeldByAsync(
        IReadOnlyCollection<Guid> customerIds, IReadOnlyCollection<Guid> productIds, int countUpTo, CancellationToken cancellationToken)
    {
        Guid[] customers = [.. customerIds];
        var pending = await db.Database.QueryAsync(PendingOf, [customers, countUpTo],
            row => (Customer: row.Get<Guid>("customer_id"), Pending: row.Get<int>("pending")), cancellationToken);
        var units = await db.Database.QueryAsync(UnitsHeldBy, [customers, productIds.ToArray()],
            row => (Key: (row.Get<Guid>("customer_id"), new Shelf(row.Get<Guid>("product_id"), row.Get<Guid>("location_id"))), Units: row.Get<int>("units")),
            cancellationToken);
        return new CustomerHoldings(pending.ToDictionary(p => p.Customer, p => p.Pending), units.ToDictionary(u => u.Key, u => u.Units));
    }

    // $1 the customers, $2 how far to count.
    private const string PendingOf = """
        SELECT c.customer_id, (SELECT count(*)::int FROM (
            SELECT 1 FROM reservations r WHERE r.customer_id = c.customer_id AND r.status = 'Pending' LIMIT $2) AS up_to) AS pending
        FROM unnest($1::uuid[]) AS c(customer_id)
        """;

    // $1 the customers, $2 the products.
    private const string UnitsHeldBy = """
        SELECT r.customer_id, r.location_id, (item ->> 'ProductId')::uuid AS product_id, sum((item ->> 'Quantity')::int)::int AS units
        FROM reservations r CROSS JOIN LATERAL jsonb_array_elements(r.items) AS item
        WHERE r.customer_id = ANY($1) AND r.status = 'Pending' AND (item ->> 'ProductId')::uuid = ANY($2)
        GROUP BY 1, 2, 3
        """;

    /// <summary>
    /// Locks the stock rows of <paramref name="shelves"/>, in <see cref="Shelf.InLockOrder"/>, until the commit, and
    /// reads what each has available; a shelf with no stock row is not in the answer (it has nothing).
    /// </summary>
    public async Task<Dictionary<Shelf, int>> LockAvailableAsync(IEnumerable<Shelf> shelves, CancellationToken cancellationToken)
    {
        var ordered = Shelf.InLockOrder(shelves).ToList();
        Guid[] products = [.. ordered.Select(s => s.ProductId)];
        Guid[] locations = [.. ordered.Select(s => s.LocationId)];
        var available = await db.Database.QueryAsync(LockAvailable, [products, locations],
            row => (Shelf: new Shelf(row.Get<Guid>("product_id"), row.Get<Guid>("location_id")), Available: row.Get<int>("available")), cancellationToken);
        return available.ToDictionary(a => a.Shelf, a => a.Available);
    }

    // $1 the products, $2 their locations, in lock order.
    private const string LockAvailable = """
        SELECT s.product_id, s.location_id, s.on_hand - s.reserved AS available
        FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS k(product_id, location_id, n)
        JOIN stock s ON s.product_id = k.product_id AND s.location_id = k.location_id
        ORDER BY k.n
        FOR UPDATE OF s
        """;

    /// <summary>
    /// Locks the stock rows of every one of <paramref name="reservations"/> at once, in <see cref="Shelf.InLockOrder"/>,
    /// before a transaction releases several of them: one after the other, their rows would be taken out of that order,
    /// and a batch of reservations holding some of them could deadlock with it.
    /// </summary>
    public async Task LockShelvesOfAsync(IReadOnlyCollection<Reservation> reservations, CancellationToken cancellationToken)
    {
        if (reservations.Count > 0)
        {
            await LockAvailableAsync(reservations.SelectMany(r => r.Items.Select(i => new Shelf(i.ProductId, r.LocationId))).Distinct(), cancellationToken);
        }
    }

    /// <summary>Adds <paramref name="units"/> to what each shelf holds for reservations: one statement, on rows the caller has locked.</summary>
    public async Task HoldAsync(IReadOnlyDictionary<Shelf, int> units, CancellationToken cancellationToken)
    {
        var shelves = units.ToList();
        Guid[] products = [.. shelves.Select(s => s.Key.ProductId)];
        Guid[] locations = [.. shelves.Select(s => s.Key.LocationId)];
        int[] counts = [.. shelves.Select(s => s.Value)];
        await db.Database.ExecuteSqlAsync($"""
            UPDATE stock s SET reserved = s.reserved + d.units
            FROM unnest({products}, {locations}, {counts}) AS d(product_id, location_id, units)
            WHERE s.product_id = d.product_id AND s.location_id = d.location_id
            """, cancellationToken);
    }

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
