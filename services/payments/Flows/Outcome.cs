using Payments.Domain;

namespace Payments.Flows;

/// <summary>What a payment or refund flow answers: done, or refused with a problem a client can act on.</summary>
public abstract record Outcome;

public sealed record PaymentReady(Payment Payment, string ClientSecret) : Outcome;

public sealed record RefundDone(Refund Refund) : Outcome;

/// <summary>A problem for the client; <paramref name="RetryAfter"/> when trying again later may succeed.</summary>
public sealed record Refused(int Status, string Title, string Detail, TimeSpan? RetryAfter = null) : Outcome
{
    /// <summary>Stripe could not be reached or did not decide in time; what was claimed is finished by a retry or the reconciler.</summary>
    public static Refused StripeUnavailable(string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, "Stripe unavailable", detail, TimeSpan.FromSeconds(5));

    /// <summary>Stripe refused; its own words stay in our log (with its request id), not in the client's answer.</summary>
    public static Refused StripeRefused(string detail) =>
        new(StatusCodes.Status502BadGateway, "The payment provider refused the request", detail);
}
