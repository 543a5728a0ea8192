namespace Payments.Domain;

/// <summary>A payment for one reservation. Only Stripe's ids, the amounts and the status are kept: never card data.</summary>
public sealed class Payment : IReconciled
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ReservationId { get; init; }

    public Guid CustomerId { get; init; }

    public long AmountCents { get; init; }

    public required string Currency { get; init; }

    /// <summary>One of <see cref="PaymentStatus"/>.</summary>
    public required string Status { get; set; }

    public long RefundedCents { get; set; }

    /// <summary>Null while <see cref="PaymentStatus.Creating"/>: the PaymentIntent is being made, or was never recorded.</summary>
    public string? StripePaymentIntentId { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// The W3C trace context of the request that created it: the events Stripe's webhooks cause later are published in
    /// that trace, so a checkout is one trace from the customer's first request to inventory's commit.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// When the reconciler next compares this payment with Stripe: set while the payment is not final, so a crash
    /// between two phases or a webhook that never came is settled; null once nothing can change it any more.
    /// </summary>
    public DateTimeOffset? ReconcileAt { get; set; }
}
