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
        StripeException stripe =>
            stripe.HttpStatusCode is 0 or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
            || stripe.InnerException is HttpRequestException or OperationCanceledException,
        HttpRequestException => true,
        OperationCanceledException => !requestAborted.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// Makes one Stripe call for <paramref name="subject"/> ("PaymentIntent for payment …") and sorts its failure:
    /// unavailable (retry with the same key) or refused. Either is logged with Stripe's request id, which support can
    /// find the request by; Stripe's own words go only to the log.
    /// </summary>
    public static async Task<StripeAttempt<T>> AttemptAsync<T>(Func<Task<T>> call, ILogger logger, string subject, CancellationToken cancellationToken)
    {
        try
        {
            return new(await call(), Unavailable: false, Refusal: null);
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            logger.LogWarning("Stripe did not answer for {Subject} (request {StripeRequestId}): {Error}", subject, RequestId(exception), exception.Message);
            return new(default, Unavailable: true, Refusal: null);
        }
        catch (StripeException exception)
        {
            logger.LogWarning("Stripe refused {Subject} (request {StripeRequestId}, code {StripeCode}): {StripeMessage}",
                subject, RequestId(exception), exception.StripeError?.Code, exception.StripeError?.Message);
            return new(default, Unavailable: false, Refusal: exception);
        }
    }

    private static string? RequestId(Exception exception) => (exception as StripeException)?.StripeResponse?.RequestId;
}

/// <summary>What one Stripe call gave: its result, or that Stripe was unavailable, or Stripe's refusal.</summary>
public readonly record struct StripeAttempt<T>(T? Result, bool Unavailable, StripeException? Refusal)
{
    public bool Refused => Refusal is not null;
}
