using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Domain;
using Platform.Messaging;
using Platform.Postgres;
using PaymentIntent = Stripe.PaymentIntent;

namespace Payments.Flows;

/// <summary>
/// Moves a payment to what Stripe says of its PaymentIntent (a webhook, the record phase, or the reconciler's retrieve)
/// and queues what inventory must hear, in the caller's transaction with the payment row locked: whichever of them
/// comes first moves it, and the others find nothing left to do.
/// </summary>
public sealed class PaymentTransitions(
    PaymentsDb db, PaymentMetrics metrics, IOptions<PaymentsOptions> options, TimeProvider time, ILogger<PaymentTransitions> logger)
{
    public Task<Payment?> LockAsync(Guid paymentId, CancellationToken cancellationToken) =>
        db.Payments.Where(p => p.Id == paymentId).ForUpdate().SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The payment of a PaymentIntent, locked; none for a charge made without one (a payment still <c>creating</c> has no
    /// intent's id yet, and LINQ's <c>== null</c> would find those).
    /// </summary>
    public Task<Payment?> LockAsync(string? paymentIntentId, CancellationToken cancellationToken) =>
        paymentIntentId is null
            ? Task.FromResult<Payment?>(null)
            : db.Payments.Where(p => p.StripePaymentIntentId == paymentIntentId).ForUpdate().SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Applies <paramref name="status"/> (ours for what <paramref name="intent"/> says) to <paramref name="payment"/>, which
    /// the caller holds locked; a payment still <c>creating</c> learns its intent's id here. False when it is not a move
    /// forward (a late or repeated event). The caller saves.
    /// </summary>
    public bool Apply(Payment payment, PaymentIntent intent, string status)
    {
        if (payment.StripePaymentIntentId is null)
        {
            payment.StripePaymentIntentId = intent.Id;
            payment.ReconcileAt = time.GetUtcNow().AddSeconds(options.Value.WebhookWaitSeconds);
        }
        else if (payment.StripePaymentIntentId != intent.Id)
        {
            logger.LogError("Payment {PaymentId} has PaymentIntent {Recorded}, not {PaymentIntentId}; the event is not applied",
                payment.Id, payment.StripePaymentIntentId, intent.Id);
            return false;
        }

        if (!PaymentStatus.CanMove(payment.Status, status))
        {
            return false;
        }

        payment.Status = status;
        db.AfterCommit(() => metrics.Moved(status));
        if (PaymentStatus.IsSettled(status))
        {
            payment.ReconcileAt = null;
        }

        switch (status)
        {
            case PaymentStatus.Succeeded:
                Publish(payment, EventTypes.PaymentSucceeded,
                    new PaymentSucceeded(payment.Id, payment.ReservationId, payment.CustomerId, payment.AmountCents, payment.Currency));
                break;
            case PaymentStatus.Failed:
                Publish(payment, EventTypes.PaymentFailed, new PaymentEnded(payment.Id, payment.ReservationId,
                    intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code ?? "payment_failed"));
                break;
            case PaymentStatus.Canceled:
                Publish(payment, EventTypes.PaymentCanceled, new PaymentEnded(payment.Id, payment.ReservationId, intent.CancellationReason ?? "canceled"));
                break;
        }

        return true;
    }

    /// <summary>Queues an event about <paramref name="payment"/> for inventory, in the trace of the request that created the payment.</summary>
    public void Publish<TData>(Payment payment, string type, TData data) =>
        db.Publish(options.Value.InventoryQueue, EventEnvelope.Create(type, "payments", data, time.GetUtcNow()), payment.TraceParent);
}
