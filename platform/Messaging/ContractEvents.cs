using System.Text.Json.Serialization;

namespace Platform.Messaging;

// The data of each event in the contract (docs/api.md, Events), used by the service that publishes it and the one that
// consumes it, so the two cannot drift apart. Required fields are the ones a consumer cannot act without.

/// <summary><c>payment.succeeded</c>, payments → inventory: what was paid, by whom, so inventory can check it against the reservation.</summary>
public sealed record PaymentSucceeded(
    [property: JsonRequired] Guid PaymentId,
    [property: JsonRequired] Guid ReservationId,
    [property: JsonRequired] Guid CustomerId,
    [property: JsonRequired] long AmountCents,
    [property: JsonRequired] string Currency);

/// <summary><c>payment.failed</c> and <c>payment.canceled</c>, payments → inventory: the reservation's stock may go back on the shelf.</summary>
public sealed record PaymentEnded([property: JsonRequired] Guid PaymentId, [property: JsonRequired] Guid ReservationId, string? Reason);

/// <summary><c>payment.refunded</c>, payments → inventory: money given back (the goods stay sold).</summary>
public sealed record PaymentRefunded([property: JsonRequired] Guid PaymentId, [property: JsonRequired] Guid ReservationId, long AmountCents);

/// <summary><c>reservation.commit_failed</c>, inventory → payments: the payment succeeded but the goods are gone, so it is refunded.</summary>
public sealed record ReservationCommitFailed([property: JsonRequired] Guid ReservationId, [property: JsonRequired] Guid PaymentId, string? Reason);

/// <summary>
/// <c>customer.erased</c>, customers → inventory and payments (GDPR article 17): the account is gone. Each service
/// replaces the customer's id on what it keeps with <see cref="Pseudonym"/>, the same random id in every service, so
/// its records still agree with each other (a payment with its reservation) and no longer point at a person.
/// </summary>
public sealed record CustomerErased([property: JsonRequired] Guid CustomerId, [property: JsonRequired] Guid Pseudonym);
