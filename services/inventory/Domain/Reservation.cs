namespace Inventory.Domain;

/// <summary>
/// Stock held at one location while a customer pays: <see cref="ReservationStatus.Pending"/> until the payment
/// commits it, or it is released (payment failed, the customer let it go, or it expired).
/// </summary>
public sealed class Reservation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CustomerId { get; init; }

    public Guid LocationId { get; init; }

    public ReservationStatus Status { get; set; } = ReservationStatus.Pending;

    /// <summary>The payment that committed it, once one has.</summary>
    public Guid? PaymentId { get; set; }

    /// <summary>Computed from the prices when it was made, never taken from the client.</summary>
    public long TotalCents { get; init; }

    public required string Currency { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public List<ReservationItem> Items { get; init; } = [];
}

public sealed record ReservationItem(Guid ProductId, int Quantity, long UnitPriceCents);

public enum ReservationStatus
{
    Pending,
    Committed,
    Released,
}
