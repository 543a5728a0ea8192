namespace Payments.Data;

/// <summary>A Stripe event id already processed, written in the transaction that applied it.</summary>
public sealed class StripeEventRecord
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
