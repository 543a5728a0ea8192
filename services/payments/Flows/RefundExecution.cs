using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Domain;
using Payments.Provider;
using Platform.Postgres;

namespace Payments.Flows;

/// <summary>
/// Refunds in phases, like payments: a short transaction claims the refund (one per payment and key), Stripe is called
/// with no transaction held, a second short transaction records its answer. Before it creates, it asks Stripe for a
/// refund already made for this claim, so a retry, a redelivered event or the reconciler never refunds twice, whatever
/// the age of Stripe's idempotency key.
/// </summary>
public sealed class RefundExecution(PaymentsDb db, StripeGateway stripe, IOptions<PaymentsOptions> options, TimeProvider time, ILogger<RefundExecution> logger)
{
    /// <summary>
    /// Claims a refund of <paramref name="amountCents"/> (all that is left when null) of a captured payment, inside the
    /// caller's transaction, or returns the refund already claimed with <paramref name="key"/>. Null when nothing is left.
    /// </summary>
    public async Task<Refund?> ClaimAsync(Payment payment, string key, long? amountCents, string? reason, CancellationToken cancellationToken)
    {
        if (await db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.PaymentId == payment.Id && r.Key == key, cancellationToken) is { } claimed)
        {
            return claimed;
        }

        var left = await LeftAsync(payment, cancellationToken);
        if (!PaymentStatus.IsCaptured(payment.Status) || left <= 0 || amountCents > left)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var refund = new Refund
        {
            PaymentId = payment.Id,
            Key = key,
            AmountCents = amountCents ?? left,
            Status = RefundStatus.Requested,
            Reason = reason,
            CreatedAt = now,
            ReconcileAt = now.AddSeconds(options.Value.ReconcileAfterSeconds),
        };
        db.Refunds.Add(refund);
        await db.SaveChangesAsync(cancellationToken);
        return refund;
    }

    /// <summary>Phases two and three for a claimed refund; safe to run again, by anyone, at any time.</summary>
    public async Task<Outcome> ExecuteAsync(Guid refundId, CancellationToken cancellationToken)
    {
        var refund = await db.Refunds.AsNoTracking().SingleAsync(r => r.Id == refundId, cancellationToken);
        if (refund.Status != RefundStatus.Requested)
        {
            return new RefundDone(refund);
        }

        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == refund.PaymentId, cancellationToken);
        var attempt = await StripeFailures.AttemptAsync(
            async () => await stripe.FindRefundAsync(payment.StripePaymentIntentId!, refund.Id, cancellationToken)
                ?? await stripe.RefundAsync(payment.StripePaymentIntentId!, refund.AmountCents, refund.Id, $"refund-{refund.Id}", cancellationToken),
            logger, $"refund {refund.Id} of payment {payment.Id}", cancellationToken);
        if (attempt.Unavailable)
        {
            // The claim stays requested: the reconciler finishes it.
            return Refused.StripeUnavailable("The refund is recorded and will be made shortly; nothing was refunded twice.");
        }

        if (attempt.Result is { } made)
        {
            await RecordAsync(refund.Id, RefundStatus.Succeeded, made.Id, cancellationToken);
            logger.LogInformation("Refunded {AmountCents} of payment {PaymentId} ({Reason})", made.Amount, payment.Id, refund.Reason ?? "requested");
        }
        else
        {
            await RecordAsync(refund.Id, RefundStatus.Refused, null, cancellationToken);
        }

        return new RefundDone(await db.Refunds.AsNoTracking().SingleAsync(r => r.Id == refundId, cancellationToken));
    }

    /// <summary>
    /// What may still be refunded: the amount less what Stripe reported refunded (its webhook may lag our own record of a
    /// refund just made, and the dashboard can refund too) and less the refunds claimed and not yet made.
    /// </summary>
    private async Task<long> LeftAsync(Payment payment, CancellationToken cancellationToken)
    {
        var ours = await db.Refunds.Where(r => r.PaymentId == payment.Id && r.Status != RefundStatus.Refused)
            .GroupBy(r => r.Status).Select(g => new { Status = g.Key, Cents = g.Sum(r => r.AmountCents) }).ToListAsync(cancellationToken);
        var made = ours.Where(o => o.Status == RefundStatus.Succeeded).Sum(o => o.Cents);
        var pending = ours.Where(o => o.Status == RefundStatus.Requested).Sum(o => o.Cents);
        return payment.AmountCents - Math.Max(payment.RefundedCents, made) - pending;
    }

    private async Task RecordAsync(Guid refundId, string status, string? stripeRefundId, CancellationToken cancellationToken) =>
        await db.Refunds
            .Where(r => r.Id == refundId && r.Status == RefundStatus.Requested)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.StripeRefundId, stripeRefundId)
                .SetProperty(r => r.ReconcileAt, (DateTimeOffset?)null), cancellationToken);
}
