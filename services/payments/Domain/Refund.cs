namespace Payments.Domain;

/// <summary>
/// A refund, claimed before Stripe is called and recorded after it answers: a retry with the same key, a redelivered
/// event or the reconciler finish the one refund rather than make another.
/// </summary>
public sealed class Refund : IReconciled
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PaymentId { get; init; }

    /// <summary>The admin's Idempotency-Key, or <c>commit-failed-{event id}</c> for the automatic refund.</summary>
    public required string Key { get; init; }

    public long AmountCents { get; init; }

    /// <summary>One of <see cref="RefundStatus"/>.</summary>
    public required string Status { get; set; }

    public string? StripeRefundId { get; set; }

    public string? Reason { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the reconciler finishes it if it is still <see cref="RefundStatus.Requested"/>; null once recorded.</summary>
    public DateTimeOffset? ReconcileAt { get; set; }
}

public static class RefundStatus
{
    public const string Requested = "requested";
    public const string Succeeded = "succeeded";

    /// <summary>Stripe refused it (nothing left, say): nothing was given back.</summary>
    public const string Refused = "refused";
}
