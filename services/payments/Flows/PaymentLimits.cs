using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Domain;

namespace Payments.Flows;

/// <summary>
/// Card testing: someone with stolen card numbers makes PaymentIntent after PaymentIntent and tries a card on each. A
/// customer may have a few open PaymentIntents from the last hour and a few declines in an hour; past either, a new
/// payment waits until the oldest leaves the hour.
/// </summary>
public sealed class PaymentLimits(PaymentsDb db, IOptions<PaymentsOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Null when <paramref name="customerId"/> may open another payment; run inside the claim's transaction.</summary>
    public async Task<Refused?> RefusalAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var since = time.GetUtcNow() - Window;
        var open = await db.Payments
            .Where(p => p.CustomerId == customerId && p.CreatedAt > since && PaymentStatus.Open.Contains(p.Status))
            .OrderBy(p => p.CreatedAt).Select(p => p.CreatedAt).Take(limits.MaxOpenPaymentsPerCustomer).ToListAsync(cancellationToken);
        if (open.Count >= limits.MaxOpenPaymentsPerCustomer)
        {
            return TooMany(open[0], $"You have {open.Count} unpaid payments from the last hour (MAX_OPEN_PAYMENTS_PER_CUSTOMER is " +
                $"{limits.MaxOpenPaymentsPerCustomer}): pay or cancel one, or wait.");
        }

        var failed = await db.PaymentFailures
            .Where(f => f.CustomerId == customerId && f.FailedAt > since)
            .OrderBy(f => f.FailedAt).Select(f => f.FailedAt).Take(limits.MaxFailedPaymentsPerHour).ToListAsync(cancellationToken);
        return failed.Count >= limits.MaxFailedPaymentsPerHour
            ? TooMany(failed[0], $"{failed.Count} payments were declined in the last hour (MAX_FAILED_PAYMENTS_PER_HOUR is {limits.MaxFailedPaymentsPerHour}).")
            : null;
    }

    private Refused TooMany(DateTimeOffset oldest, string detail) =>
        new(StatusCodes.Status429TooManyRequests, "Too many payments", detail, oldest + Window - time.GetUtcNow());
}
