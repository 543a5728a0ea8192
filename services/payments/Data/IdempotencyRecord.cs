namespace Payments.Data;

/// <summary>
/// The first answer to a customer's <c>Idempotency-Key</c>: a repeat with the same request gets it again, a repeat
/// with another request is refused. Kept at least 24 hours.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid CustomerId { get; init; }

    public required string Key { get; init; }

    /// <summary>What the request asked for (the reservation id), to tell a replay from a different request.</summary>
    public required string Request { get; init; }

    public Guid PaymentId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
