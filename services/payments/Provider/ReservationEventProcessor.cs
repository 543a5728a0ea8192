using Payments.Data;
using Payments.Domain;
using Payments.Flows;
using Platform.Messaging;
using Platform.Postgres;

namespace Payments.Provider;

/// <summary>
/// Events from inventory. A <c>reservation.commit_failed</c> claims a refund of everything left on the payment, keyed by
/// the event's id, in the transaction that records the event as handled; the refund is then made with nothing held. A
/// redelivered event finds it handled, and a refund Stripe did not make in time is finished by the reconciler.
/// </summary>
public sealed class ReservationEventProcessor(
    PaymentsDb db, PaymentTransitions transitions, RefundExecution refunds, TimeProvider time, ILogger<ReservationEventProcessor> logger) : IEventProcessor
{
    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var refund = await db.InTransactionAsync(async ct =>
        {
            if (!await db.TryRecordHandledAsync(envelope, time.GetUtcNow(), ct))
            {
                return null;
            }

            if (envelope.Type != Platform.Messaging.EventTypes.ReservationCommitFailed)
            {
                logger.LogWarning("Ignoring {EventType} {EventId}: not an event payments handles", envelope.Type, envelope.Id);
                return null;
            }

            var failed = envelope.DataAs<ReservationCommitFailed>();
            var payment = await transitions.LockAsync(failed.PaymentId, ct);
            if (payment is not null && payment.ReservationId != failed.ReservationId)
            {
                throw new EventRejectedException($"reservation.commit_failed names payment {payment.Id}, which is for another reservation than {failed.ReservationId}");
            }

            var claimed = payment is null ? null : await refunds.ClaimAsync(payment, $"commit-failed-{envelope.Id}", amountCents: null, failed.Reason, ct);
            if (claimed is null)
            {
                logger.LogWarning("Nothing to refund for payment {PaymentId} (reservation {ReservationId})", failed.PaymentId, failed.ReservationId);
            }

            return claimed;
        }, cancellationToken);

        if (refund is not null)
        {
            await refunds.ExecuteAsync(refund.Id, cancellationToken);
        }
    }
}
