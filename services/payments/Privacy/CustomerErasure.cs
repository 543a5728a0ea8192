using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Platform.Messaging;

namespace Payments.Privacy;

/// <summary>
/// <c>customer.erased</c>, inside the transaction that records the event as handled. Payments and their refunds are
/// accounting records and are kept, under the pseudonym the event carries instead of the customer's id; the
/// idempotency keys and declined attempts, which exist only to answer the customer's own requests and limits, are
/// deleted.
/// </summary>
public sealed class CustomerErasure(PaymentsDb db, ILogger<CustomerErasure> logger)
{
    public async Task EraseAsync(CustomerErased erased, CancellationToken cancellationToken)
    {
        var pseudonymised = await db.Payments
            .Where(p => p.CustomerId == erased.CustomerId)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.CustomerId, erased.Pseudonym), cancellationToken);
        await db.IdempotencyKeys.Where(k => k.CustomerId == erased.CustomerId).ExecuteDeleteAsync(cancellationToken);
        await db.PaymentFailures.Where(f => f.CustomerId == erased.CustomerId).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("Erased a customer: {Pseudonymised} payments pseudonymised", pseudonymised);
    }
}
