using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Payments.Domain;
using Payments.Flows;
using Platform.Messaging;
using Platform.Postgres;
using Stripe;
using StripeEvents = Stripe.EventTypes;

namespace Payments.Provider;

/// <summary>
/// Applies a verified Stripe event. The event id, the payment's new state and the event for inventory are written in
/// one transaction: a duplicate changes nothing, and inventory hears of exactly the changes that were committed.
/// </summary>
public sealed class StripeEventProcessor(
    PaymentsDb db, PaymentTransitions transitions, PaymentMetrics metrics, TimeProvider time, ILogger<StripeEventProcessor> logger)
{
    public Task ApplyAsync(Event stripeEvent, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var now = time.GetUtcNow();
            var first = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO stripe_events (id, type, received_at) VALUES ({stripeEvent.Id}, {stripeEvent.Type}, {now}) ON CONFLICT (id) DO NOTHING", ct) == 1;
            if (!first)
            {
                logger.LogInformation("Stripe event {StripeEventId} was processed before", stripeEvent.Id);
                return;
            }

            db.AfterCommit(() => metrics.WebhookArrived(stripeEvent.Created, now));

            switch (stripeEvent.Data.Object)
            {
                case PaymentIntent intent when Status(stripeEvent.Type) is { } status:
                    await MoveAsync(intent, status, ct);
                    break;
                case Charge charge when stripeEvent.Type == StripeEvents.ChargeRefunded:
                    await RecordRefundAsync(charge, ct);
                    break;
                default:
                    logger.LogInformation("Stripe event {StripeEventType} needs nothing from payments", stripeEvent.Type);
                    break;
            }

            await db.SaveChangesAsync(ct);
        }, cancellationToken);

    private static string? Status(string eventType) => eventType switch
    {
        StripeEvents.PaymentIntentSucceeded => PaymentStatus.Succeeded,
        StripeEvents.PaymentIntentPaymentFailed => PaymentStatus.Failed,
        StripeEvents.PaymentIntentCanceled => PaymentStatus.Canceled,
        StripeEvents.PaymentIntentProcessing => PaymentStatus.Processing,
        _ => null,
    };

    private async Task MoveAsync(PaymentIntent intent, string status, CancellationToken cancellationToken)
    {
        if (await FindAsync(intent, cancellationToken) is not { } payment)
        {
            logger.LogWarning("Stripe PaymentIntent {PaymentIntentId} is not one of ours", intent.Id);
            return;
        }

        if (status == PaymentStatus.Failed)
        {
            // Every declined attempt counts towards the card-testing limit, even a repeat on one intent.
            db.PaymentFailures.Add(new PaymentFailure { CustomerId = payment.CustomerId, PaymentId = payment.Id, FailedAt = time.GetUtcNow() });
        }

        if (!transitions.Apply(payment, intent, status))
        {
            logger.LogInformation("Payment {PaymentId} stays {Status}: {Event} arrived late", payment.Id, payment.Status, status);
        }
    }

    /// <summary>
    /// The payment the intent belongs to, locked: by the intent's id, or, while the payment is still being created (the
    /// intent's id not yet recorded), by our id in its metadata. A payment named there that is not visible yet is an
    /// error, so the delivery fails and Stripe sends it again, rather than a payment lost.
    /// </summary>
    private async Task<Payment?> FindAsync(PaymentIntent intent, CancellationToken cancellationToken)
    {
        if (await transitions.LockAsync(intent.Id, cancellationToken) is { } payment)
        {
            return payment;
        }

        if (!Guid.TryParse(intent.Metadata?.GetValueOrDefault(StripeGateway.PaymentIdKey), out var paymentId))
        {
            return null;
        }

        return await transitions.LockAsync(paymentId, cancellationToken)
            ?? throw new PaymentNotVisibleException($"PaymentIntent {intent.Id} names payment {paymentId}, which is not recorded yet.");
    }

    private async Task RecordRefundAsync(Charge charge, CancellationToken cancellationToken)
    {
        if (await transitions.LockAsync(charge.PaymentIntentId, cancellationToken) is not { } payment || charge.AmountRefunded <= payment.RefundedCents)
        {
            return; // not ours, or an older picture of the refunds than we have
        }

        var refunded = charge.AmountRefunded - payment.RefundedCents;
        payment.RefundedCents = charge.AmountRefunded;
        payment.Status = payment.RefundedCents == payment.AmountCents ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
        transitions.Publish(payment, Platform.Messaging.EventTypes.PaymentRefunded, new PaymentRefunded(payment.Id, payment.ReservationId, refunded));
    }
}

/// <summary>A webhook for a payment whose row is not committed yet: answered 503, so Stripe delivers it again.</summary>
public sealed class PaymentNotVisibleException(string message) : Exception(message);
