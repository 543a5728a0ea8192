using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Domain;
using Payments.Inventory;
using Payments.Provider;
using Platform.Messaging;
using Platform.Observability;
using Platform.Postgres;
using Stripe;

namespace Payments.Flows;

/// <summary>
/// Creates a payment in three phases, none of which holds a transaction, lock or connection while another system is
/// called (Stripe's "atomic phases"):
/// <list type="number">
/// <item>claim: one short transaction records the customer's Idempotency-Key and the payment as <c>creating</c>;</item>
/// <item>call: Stripe makes the PaymentIntent, with an idempotency key and metadata made from the payment's id;</item>
/// <item>record: one short transaction stores the intent's id.</item>
/// </list>
/// A retry with the same key, and the reconciler, resume from the recorded phase. A replay never makes a second
/// intent: it answers from what is stored, and past Stripe's 24 hours it looks the intent up instead of creating one.
/// </summary>
public sealed class PaymentCreation(
    PaymentsDb db, InventoryClient inventory, StripeGateway stripe, PaymentLimits limits, PaymentTransitions transitions, RequestTurns turns,
    IOptions<PaymentsOptions> options, TimeProvider time, ILogger<PaymentCreation> logger)
{
    public async Task<Outcome> CreateAsync(Guid customerId, string key, Guid reservationId, string bearerToken, CancellationToken cancellationToken)
    {
        await using var turn = await turns.TakeAsync($"{customerId}:{key}", cancellationToken);
        if (await FindKeyAsync(customerId, key, cancellationToken) is { } claimed)
        {
            return await ReplayAsync(claimed, reservationId, cancellationToken);
        }

        var reservation = await inventory.FindReservationAsync(reservationId, bearerToken, cancellationToken);
        if (reservation is null || reservation.CustomerId != customerId)
        {
            return new Refused(StatusCodes.Status404NotFound, "No such reservation", "There is no reservation with that id among yours.");
        }

        if (reservation.Status != "pending")
        {
            return new Refused(StatusCodes.Status409Conflict, "Reservation not pending",
                $"The reservation is {reservation.Status}; only a pending reservation can be paid.");
        }

        var now = time.GetUtcNow();
        var payment = new Payment
        {
            ReservationId = reservation.Id,
            CustomerId = customerId,
            AmountCents = reservation.TotalCents,
            Currency = reservation.Currency,
            Status = PaymentStatus.Creating,
            CreatedAt = now,
            ReconcileAt = now.AddSeconds(options.Value.ReconcileAfterSeconds),
            TraceParent = ApplicationTraces.CurrentTraceParent(),
        };
        var (taken, refusal) = await ClaimAsync(payment, key, cancellationToken);
        if (taken)
        {
            // A racing request with the same key claimed it first: answer as its replay.
            return await ReplayAsync((await FindKeyAsync(customerId, key, cancellationToken))!, reservationId, cancellationToken);
        }

        return refusal ?? await AdvanceAsync(payment, cancellationToken);
    }

    /// <summary>
    /// Phases two and three for a payment still <c>creating</c>: makes (or, past Stripe's key lifetime, finds) its
    /// PaymentIntent and records it. Safe to run by several requests and the reconciler at once.
    /// </summary>
    public async Task<Outcome> AdvanceAsync(Payment payment, CancellationToken cancellationToken)
    {
        var attempt = await StripeFailures.AttemptAsync(
            async () => time.GetUtcNow() - payment.CreatedAt < StripeGateway.IdempotencyKeyLifetime
                ? await stripe.CreatePaymentIntentAsync(
                    payment.AmountCents, payment.Currency, Metadata(payment), StripeIdempotencyKey(payment), cancellationToken)
                : await stripe.FindPaymentIntentAsync(payment.Id, cancellationToken),
            logger, $"the PaymentIntent of payment {payment.Id}", cancellationToken);
        if (attempt.Unavailable)
        {
            // It stays creating, for a retry with the same key or the reconciler.
            return Refused.StripeUnavailable("The payment could not be created in time; nothing was charged. Retry with the same Idempotency-Key.");
        }

        if (attempt.Refused)
        {
            await AbandonAsync(payment, cancellationToken);
            return Refused.StripeRefused("The payment could not be created; nothing was charged.");
        }

        var intent = attempt.Result;
        if (intent is null)
        {
            logger.LogWarning("Payment {PaymentId} was claimed over a day ago and Stripe has no PaymentIntent for it; it is canceled", payment.Id);
            await AbandonAsync(payment, cancellationToken);
            return new Refused(StatusCodes.Status409Conflict, "Payment abandoned", "This payment was never completed; start again with a new Idempotency-Key.");
        }

        await RecordAsync(payment, intent, cancellationToken);
        var recorded = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == payment.Id, cancellationToken);
        return new PaymentReady(recorded, intent.ClientSecret);
    }

    /// <summary>
    /// Phase one: the key and the payment, in one transaction. Taken when a racing request with the same key committed
    /// its claim first (the insert waits for it); a refusal when a limit or another payment for the reservation stands in the way.
    /// </summary>
    private async Task<(bool Taken, Refused? Refusal)> ClaimAsync(Payment payment, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await db.InTransactionAsync<(bool, Refused?)>(async ct =>
            {
                // One customer's claims queue here, for a moment, so racing requests cannot pass the limits together.
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"payments-customer:{payment.CustomerId}"}, 0))", ct);
                var inserted = await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO idempotency_keys (customer_id, key, request, payment_id, created_at)
                    VALUES ({payment.CustomerId}, {key}, {payment.ReservationId.ToString()}, {payment.Id}, {payment.CreatedAt})
                    ON CONFLICT DO NOTHING
                    """, ct);
                if (inserted == 0)
                {
                    return (true, null);
                }

                var refusal = await limits.RefusalAsync(payment.CustomerId, ct)
                    ?? (await db.Payments.AnyAsync(p => p.ReservationId == payment.ReservationId && p.Status != PaymentStatus.Canceled, ct)
                        ? AlreadyBeingPaid
                        : null);
                if (refusal is not null)
                {
                    await db.Database.RollbackTransactionAsync(ct);
                    return (false, refusal);
                }

                db.Payments.Add(payment);
                await db.SaveChangesAsync(ct);
                return (false, null);
            }, cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return (false, AlreadyBeingPaid); // another key's claim for the reservation committed first
        }
    }

    private async Task<Outcome> ReplayAsync(IdempotencyRecord claimed, Guid reservationId, CancellationToken cancellationToken)
    {
        if (claimed.Request != reservationId.ToString())
        {
            return new Refused(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was first used for another reservation; use a new key for a new payment.");
        }

        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == claimed.PaymentId, cancellationToken);
        if (payment.Status == PaymentStatus.Creating)
        {
            return await AdvanceAsync(payment, cancellationToken);
        }

        if (payment.StripePaymentIntentId is null)
        {
            return Refused.StripeRefused("This payment could not be created; nothing was charged. Use a new Idempotency-Key.");
        }

        var retrieved = await StripeFailures.AttemptAsync(() => stripe.GetPaymentIntentAsync(payment.StripePaymentIntentId, cancellationToken),
            logger, $"a retrieve of {payment.StripePaymentIntentId}", cancellationToken);
        return retrieved switch
        {
            { Result: { } intent } => new PaymentReady(payment, intent.ClientSecret),
            { Unavailable: true } => Refused.StripeUnavailable(
                "The payment exists; its details could not be read from Stripe in time. Retry with the same Idempotency-Key."),
            _ => Refused.StripeRefused("The payment exists; Stripe refused to show its details."),
        };
    }

    /// <summary>Phase three: the intent's id and status, unless a webhook or another request recorded them first.</summary>
    private Task RecordAsync(Payment payment, PaymentIntent intent, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            if (await transitions.LockAsync(payment.Id, ct) is { Status: PaymentStatus.Creating } locked)
            {
                transitions.Apply(locked, intent, PaymentStatus.FromIntent(intent.Status, intent.LastPaymentError is not null));
                await db.SaveChangesAsync(ct);
            }
        }, cancellationToken);

    /// <summary>Nothing exists at Stripe for it: the payment is canceled, which frees the reservation for another.</summary>
    private async Task AbandonAsync(Payment payment, CancellationToken cancellationToken) =>
        await db.Payments
            .Where(p => p.Id == payment.Id && p.Status == PaymentStatus.Creating)
            .ExecuteUpdateAsync(
                set => set.SetProperty(p => p.Status, PaymentStatus.Canceled).SetProperty(p => p.ReconcileAt, (DateTimeOffset?)null),
                cancellationToken);

    private Task<IdempotencyRecord?> FindKeyAsync(Guid customerId, string key, CancellationToken cancellationToken) =>
        db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.CustomerId == customerId && k.Key == key, cancellationToken);

    private static Dictionary<string, string> Metadata(Payment payment) => new()
    {
        [StripeGateway.PaymentIdKey] = payment.Id.ToString(),
        ["reservation_id"] = payment.ReservationId.ToString(),
        ["customer_id"] = payment.CustomerId.ToString(),
    };

    /// <summary>One per payment row, so every phase-two attempt for it is the same request to Stripe.</summary>
    private static string StripeIdempotencyKey(Payment payment) => $"payment-{payment.Id}";

    private static readonly Refused AlreadyBeingPaid =
        new(StatusCodes.Status409Conflict, "Already being paid", "The reservation already has a payment; pay or cancel that one.");
}
