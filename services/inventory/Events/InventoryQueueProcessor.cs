using Inventory.Data;
using Inventory.Domain;
using Inventory.Privacy;
using Inventory.Reservations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Messaging;
using Platform.Postgres;

namespace Inventory.Events;

/// <summary>
/// The events on inventory's queue: payments' events, and <c>customer.erased</c> from customers. Each event id is
/// recorded in the inbox in the same transaction as the stock change it makes, so a redelivered event changes nothing; a
/// <c>reservation.commit_failed</c> it raises goes through the outbox in that transaction too, so it is published
/// exactly when the change is committed. A payment is checked against its reservation (owner, amount, currency) before
/// it commits anything.
/// </summary>
public sealed class InventoryQueueProcessor(
    InventoryDb db, StockLedger ledger, CustomerErasure erasure, ReservationMetrics metrics, IOptions<InventoryOptions> options,
    TimeProvider time, ILogger<InventoryQueueProcessor> logger) : IEventProcessor
{
    public Task<EventHandling> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            if (!await db.TryRecordHandledAsync(envelope, time.GetUtcNow(), ct))
            {
                logger.LogInformation("{EventType} {EventId} was handled before; ignoring the redelivery", envelope.Type, envelope.Id);
                return EventHandling.Duplicate;
            }

            switch (envelope.Type)
            {
                case EventTypes.PaymentSucceeded:
                    await CommitAsync(envelope.DataAs<PaymentSucceeded>(), ct);
                    break;
                case EventTypes.PaymentFailed or EventTypes.PaymentCanceled:
                    await ReleaseAsync(envelope.DataAs<PaymentEnded>(), ct);
                    break;
                case EventTypes.PaymentRefunded:
                    break; // money back does not put goods back on the shelf
                case EventTypes.CustomerErased:
                    var released = await erasure.EraseAsync(envelope.DataAs<CustomerErased>(), ct);
                    db.AfterCommit(() => metrics.Released("customer_erased", released));
                    break;
                default:
                    logger.LogWarning("Ignoring {EventType} {EventId}: not an event inventory handles", envelope.Type, envelope.Id);
                    break;
            }

            await db.SaveChangesAsync(ct);
            return EventHandling.Handled;
        }, cancellationToken);

    private async Task CommitAsync(PaymentSucceeded payment, CancellationToken cancellationToken)
    {
        var reservation = await LockAsync(payment.ReservationId, cancellationToken);
        if (reservation is { Status: ReservationStatus.Released } && Mismatch(payment, reservation) is { } releasedMismatch)
        {
            // Nothing is sold either way, and the money goes back. This is how a payment in flight when its customer's
            // account was erased ends: erasure released the reservation and gave it the customer's pseudonym.
            RefundBecause(payment, $"The reservation was released and does not match the payment: {releasedMismatch}.");
            return;
        }

        if (reservation is not null && Mismatch(payment, reservation) is { } mismatch)
        {
            // Not what was reserved: committing would sell goods for the wrong money or to the wrong person. Nothing is
            // changed, and the event is kept in the dead-letter queue for someone to look at.
            throw new EventRejectedException($"payment.succeeded {payment.PaymentId} does not match reservation {reservation.Id}: {mismatch}");
        }

        switch (reservation?.Status)
        {
            case null:
                RefundBecause(payment, "There is no such reservation.");
                break;
            case ReservationStatus.Pending:
                await ledger.CommitAsync(reservation, payment.PaymentId, cancellationToken);
                Committed(reservation.Id, payment.PaymentId);
                break;
            case ReservationStatus.Committed when reservation.PaymentId == payment.PaymentId:
                break;
            case ReservationStatus.Committed:
                RefundBecause(payment, "The reservation was already paid for by another payment.");
                break;
            case ReservationStatus.Released:
                // It expired (or was released) before the payment arrived: the goods are sold if they are still there.
                await db.Database.CurrentTransaction!.CreateSavepointAsync("late_commit", cancellationToken);
                if (!await ledger.TryCommitReleasedAsync(reservation, payment.PaymentId, cancellationToken))
                {
                    await db.Database.CurrentTransaction!.RollbackToSavepointAsync("late_commit", cancellationToken);
                    RefundBecause(payment, "The reservation expired before the payment arrived and its stock is gone.");
                }
                else
                {
                    Committed(reservation.Id, payment.PaymentId);
                }

                break;
        }
    }

    private async Task ReleaseAsync(PaymentEnded payment, CancellationToken cancellationToken)
    {
        if (await LockAsync(payment.ReservationId, cancellationToken) is { } reservation && await ledger.ReleaseAsync(reservation, cancellationToken))
        {
            db.AfterCommit(() => metrics.Released("payment_failed"));
        }
    }

    private static string? Mismatch(PaymentSucceeded payment, Reservation reservation) =>
        payment.CustomerId != reservation.CustomerId ? "another customer"
        : payment.AmountCents != reservation.TotalCents ? $"{payment.AmountCents} paid, {reservation.TotalCents} reserved"
        : !string.Equals(payment.Currency, reservation.Currency, StringComparison.OrdinalIgnoreCase)
            ? $"{payment.Currency} paid, {reservation.Currency} reserved"
        : null;

    private Task<Reservation?> LockAsync(Guid reservationId, CancellationToken cancellationToken) =>
        db.Reservations.Where(r => r.Id == reservationId).ForUpdate().AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    // Counted and logged once committed; the line carries the checkout's trace id, which the event brought.
    private void Committed(Guid reservation, Guid payment) => db.AfterCommit(() =>
    {
        metrics.Paid();
        logger.LogInformation("Reservation {ReservationId} committed: payment {PaymentId} paid for it", reservation, payment);
    });

    private void RefundBecause(PaymentSucceeded payment, string reason)
    {
        logger.LogWarning("Payment {PaymentId} for reservation {ReservationId} cannot be committed: {Reason}",
            payment.PaymentId, payment.ReservationId, reason);
        db.Publish(options.Value.PaymentsQueue, EventEnvelope.Create(
            EventTypes.ReservationCommitFailed, "inventory", new ReservationCommitFailed(payment.ReservationId, payment.PaymentId, reason), time.GetUtcNow()));
    }
}
