using Inventory.Data;
using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Platform.Postgres;

namespace Inventory.Privacy;

/// <summary>
/// <c>customer.erased</c>, inside the transaction that records the event as handled: the customer's pending
/// reservations are released (their stock goes back on the shelf), and every reservation of theirs keeps its items,
/// prices and state, which the stock's history needs, under the pseudonym the event carries instead of their id.
/// </summary>
public sealed class CustomerErasure(InventoryDb db, StockLedger ledger, ILogger<CustomerErasure> logger)
{
    /// <summary>Returns how many pending reservations it released.</summary>
    public async Task<int> EraseAsync(CustomerErased erased, CancellationToken cancellationToken)
    {
        var pending = await db.Reservations
            .Where(r => r.CustomerId == erased.CustomerId && r.Status == ReservationStatus.Pending).OrderBy(r => r.Id).ForUpdate()
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        await ledger.LockShelvesOfAsync(pending, cancellationToken);
        foreach (var reservation in pending)
        {
            await ledger.ReleaseAsync(reservation, cancellationToken);
        }

        var pseudonymised = await db.Reservations
            .Where(r => r.CustomerId == erased.CustomerId)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.CustomerId, erased.Pseudonym), cancellationToken);
        logger.LogInformation("Erased a customer: {Released} pending reservations released, {Pseudonymised} reservations pseudonymised",
            pending.Count, pseudonymised);
        return pending.Count;
    }
}
