using Platform.Postgres;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Platform.Messaging;

namespace Payments.Provider;

/// <summary><c>reservation.commit_failed</c>: the goods are gone, so the payment is refunded in full.</summary>
public sealed record ReservationCommitFailed([property: JsonRequired] Guid ReservationId, [property: JsonRequired] Guid PaymentId, string? Reason);

/// <summary>
/// Events from inventory. A <c>reservation.commit_failed</c> refunds everything left on the payment, with a Stripe
/// idempotency key made from the event id: a redelivered event, or a retry after a crash, replays the same refund
/// rather than making another.
/// </summary>
public sealed class ReservationEventProcessor(PaymentsDb db, StripeGateway stripe, TimeProvider time, ILogger<ReservationEventProcessor> logger) : IEventProcessor
{
    public Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            if (!await db.TryRecordHandledAsync(envelope, time.GetUtcNow(), ct))
            {
                return;
            }

            if (envelope.Type == EventTypes.ReservationCommitFailed)
            {
                await RefundAsync(envelope, envelope.DataAs<ReservationCommitFailed>(), ct);
            }
            else
            {
                logger.LogWarning("Ignoring {EventType} {EventId}: not an event payments handles", envelope.Type, envelope.Id);
            }
        }, cancellationToken);

    private async Task RefundAsync(EventEnvelope envelope, ReservationCommitFailed failed, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == failed.PaymentId, cancellationToken);
        if (payment?.StripePaymentIntentId is null || payment.RefundedCents == payment.AmountCents)
        {
            logger.LogWarning("Nothing to refund for payment {PaymentId} (reservation {ReservationId})", failed.PaymentId, failed.ReservationId);
            return;
        }

        var refund = await stripe.RefundAsync(payment.StripePaymentIntentId, amountCents: null, $"commit-failed-{envelope.Id}", cancellationToken);
        logger.LogWarning("Refunded {AmountCents} of payment {PaymentId}: {Reason}", refund.Amount, payment.Id, failed.Reason);
    }
}
