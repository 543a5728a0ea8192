namespace Payments.Domain;

/// <summary>A payment for one reservation. Only Stripe's ids, the amounts and the status are kept: never card data.</summary>
public sealed class Payment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ReservationId { get; init; }

    public Guid CustomerId { get; init; }

    public long AmountCents { get; init; }

    public required string Currency { get; init; }

    /// <summary>One of <see cref="PaymentStatus"/>.</summary>
    public required string Status { get; set; }

    public long RefundedCents { get; set; }

    public string? StripePaymentIntentId { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
