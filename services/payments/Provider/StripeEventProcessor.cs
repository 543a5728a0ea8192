using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Domain;
using Platform.Messaging;
using Platform.Postgres;
using Stripe;
using ContractEvents = Platform.Messaging.EventTypes;
using StripeEvents = Stripe.EventTypes;

namespace Payments.Provider;

/// <summary>
/// Applies a verified Stripe event. The event id, the payment's new state and the event for inventory are written in
/// one transaction: a duplicate changes nothing, and inventory hears of exactly the changes that were committed.
/// </summary>
public sealed class StripeEventProcessor(PaymentsDb db, IOptions<PaymentsOptions> options, TimeProvider time, ILogger<StripeEventProcessor> logger)
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
        if (await LockAsync(intent.Id, cancellationToken) is not { } payment)
        {
            logger.LogWarning("Stripe PaymentIntent {PaymentIntentId} is not one of ours", intent.Id);
            return;
        }

        if (!PaymentStatus.CanMove(payment.Status, status))
        {
            logger.LogInformation("Payment {PaymentId} stays {Status}: {Event} arrived late", payment.Id, payment.Status, status);
            return;
        }

        payment.Status = status;
        switch (status)
        {
            case PaymentStatus.Succeeded:
                Publish(ContractEvents.PaymentSucceeded,
                    new { paymentId = payment.Id, reservationId = payment.ReservationId, customerId = payment.CustomerId, amountCents = payment.AmountCents, currency = payment.Currency });
                break;
            case PaymentStatus.Failed:
                Publish(ContractEvents.PaymentFailed,
                    new { paymentId = payment.Id, reservationId = payment.ReservationId, reason = intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code ?? "payment_failed" });
                break;
            case PaymentStatus.Canceled:
                Publish(ContractEvents.PaymentCanceled,
                    new { paymentId = payment.Id, reservationId = payment.ReservationId, reason = intent.CancellationReason ?? "canceled" });
                break;
        }
    }

    private async Task RecordRefundAsync(Charge charge, CancellationToken cancellationToken)
    {
        if (await LockAsync(charge.PaymentIntentId, cancellationToken) is not { } payment || charge.AmountRefunded <= payment.RefundedCents)
        {
            return; // not ours, or an older picture of the refunds than we have
        }

        var refunded = charge.AmountRefunded - payment.RefundedCents;
        payment.RefundedCents = charge.AmountRefunded;
        payment.Status = payment.RefundedCents == payment.AmountCents ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;

        Publish(ContractEvents.PaymentRefunded, new { paymentId = payment.Id, reservationId = payment.ReservationId, amountCents = refunded });
    }

    private Task<Payment?> LockAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        db.Payments.FromSql($"SELECT * FROM payments WHERE stripe_payment_intent_id = {paymentIntentId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    private void Publish(string type, object data) =>
        db.Publish(options.Value.InventoryQueue, EventEnvelope.Create(type, "payments", data, time.GetUtcNow()));
}
