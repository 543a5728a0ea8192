using System.Net;
using Stripe;

namespace Payments.Flows;

/// <summary>Tells a Stripe call that may have happened (retry it with its idempotency key) from one Stripe refused.</summary>
public static class StripeFailures
{
    /// <summary>
    /// True when Stripe was not reached or did not decide: a network failure, a timeout, a 5xx, a 429, or a 409 for a
    /// request with the same idempotency key still in flight. The same call with the same key may be repeated.
    /// </summary>
    public static bool IsUnavailable(Exception exception, CancellationToken requestAborted) => exception switch
    {
        StripeException stripe => stripe.HttpStatusCode is 0 or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
            || stripe.InnerException is HttpRequestException or OperationCanceledException,
        HttpRequestException => true,
        OperationCanceledException => !requestAborted.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Stripe's request id, for the log line that goes with a failure (support can find the request by it).</summary>
    public static string? RequestId(Exception exception) => (exception as StripeException)?.StripeResponse?.RequestId;
}
