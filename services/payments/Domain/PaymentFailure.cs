namespace Payments.Domain;

/// <summary>One declined attempt, for the card-testing limit: how many a customer's cards failed in the last hour.</summary>
public sealed class PaymentFailure
{
    public long Id { get; init; }

    public Guid CustomerId { get; init; }

    public Guid PaymentId { get; init; }

    public DateTimeOffset FailedAt { get; init; }
}
