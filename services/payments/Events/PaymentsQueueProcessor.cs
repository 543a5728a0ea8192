using Payments.Data;
using Payments.Domain;
using Payments.Flows;
using Payments.Privacy;
using Platform.Messaging;
using Platform.Postgres;

namespace Payments.Events;

/// <summary>
/// The events on payments' queue: <c>reservation.commit_failed</c> from inventory and <c>customer.erased</c> from
/// customers, each recorded as handled in the transaction that applies it. A <c>reservation.commit_failed</c> claims a
/// refund of everything left on the payment, keyed by the event's id, in the transaction that records the event as
/// handled; the refund is then made with nothing held. A redelivered event finds it handled, and a refund Stripe did not
/// make in time is finished by the reconciler.
/// </summary>
public sealed class PaymentsQueueProcessor(
    PaymentsDb db, PaymentTransitions transitions, RefundExecution refunds, CustomerErasure erasure, TimeProvider time,
    ILogger<PaymentsQueueProcessor> logger) : IEventProcessor
{
    public async Task<EventHandling> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var (handling, refund) = await db.InTransactionAsync<(EventHandling, Refund?)>(async ct =>
        {
            if (!await db.TryRecordHandledAsync(envelope, time.GetUtcNow(), ct))
            {
                return (EventHandling.Duplicate, null);
            }

            if (envelope.Type == EventTypes.CustomerErased)
            {
                await erasure.EraseAsync(envelope.DataAs<CustomerErased>(), ct);
                return (EventHandling.Handled, null);
            }

            if (envelope.Type != EventTypes.ReservationCommitFailed)
            {
                logger.LogWarning("Ignoring {EventType} {EventId}: not an event payments handles", envelope.Type, envelope.Id);
                return (EventHandling.Handled, null);
            }

            var failed = envelope.DataAs<ReservationCommitFailed>();
            var payment = await transitions.LockAsync(failed.PaymentId, ct);
            if (payment is not null && payment.ReservationId != failed.ReservationId)
            {
                throw new EventRejectedException(
                    $"reservation.commit_failed names payment {payment.Id}, which is for another reservation than {failed.ReservationId}");
            }

            var claimed = payment is null ? null : await refunds.ClaimAsync(payment, $"commit-failed-{envelope.Id}", amountCents: null, failed.Reason, ct);
            if (claimed is null)
            {
                logger.LogWarning("Nothing to refund for payment {PaymentId} (reservation {ReservationId})", failed.PaymentId, failed.ReservationId);
            }

            return (EventHandling.Handled, claimed);
        }, cancellationToken);

        if (refund is not null)
        {
            await refunds.ExecuteAsync(refund.Id, cancellationToken);
        }

        return handling;
    }
}
