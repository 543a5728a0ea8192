using System.Text.Json.Serialization;

namespace Inventory.Events;

/// <summary><c>payment.succeeded</c> from payments.</summary>
public sealed record PaymentSucceeded(
    [property: JsonRequired] Guid PaymentId, [property: JsonRequired] Guid ReservationId, Guid CustomerId, long AmountCents, string? Currency);

/// <summary><c>payment.failed</c> and <c>payment.canceled</c> from payments.</summary>
public sealed record PaymentEnded([property: JsonRequired] Guid PaymentId, [property: JsonRequired] Guid ReservationId, string? Reason);

/// <summary><c>reservation.commit_failed</c> to payments: the payment succeeded but the goods are gone, so it is refunded.</summary>
public sealed record ReservationCommitFailed(Guid ReservationId, Guid PaymentId, string Reason);
