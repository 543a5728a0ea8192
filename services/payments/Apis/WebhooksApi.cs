using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Provider;
using Platform.Api;
using Platform.Errors;
using Platform.Secrets;
using Stripe;

namespace Payments.Apis;

public static class WebhooksApi
{
    /// <summary>Stripe signs each delivery with a timestamp; older than this (as Stripe's own libraries default) is refused as a replay.</summary>
    private const long ToleranceSeconds = 300;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/payments/webhooks").WithTags("Webhooks").AllowAnonymous()
            .MapPost("/stripe", ReceiveStripeEvent).WithName("ReceiveStripeEvent")
            .WithSummary("Stripe's webhook: verified against WEBHOOK_ENDPOINT_SECRET, each event applied once.");
        return endpoints;
    }

    /// <remarks>
    /// The signature is checked on the raw body. The API-version check is off on purpose: events carry the account's
    /// API version, which can differ from the one this Stripe.net was built for, and only fields stable across versions
    /// (ids, types, statuses, amounts) are read; a version mismatch must not drop a payment on the floor.
    /// </remarks>
    private static async Task<Results<Ok, ProblemHttpResult>> ReceiveStripeEvent(
        HttpRequest request, SecretStore secrets, StripeEventProcessor processor, TimeProvider time, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        try
        {
            EventUtility.ValidateSignature(json, request.Headers["Stripe-Signature"].ToString(),
                await secrets.GetAsync("WEBHOOK_ENDPOINT_SECRET", cancellationToken), ToleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid webhook",
                detail: "The Stripe-Signature header is missing, does not match the body, or is too old.");
        }

        if (ParsedEvent(json) is not { Id.Length: > 0 } stripeEvent)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid webhook",
                detail: "The body is signed but is not a Stripe event with an id.");
        }

        try
        {
            await processor.ApplyAsync(stripeEvent, cancellationToken);
        }
        catch (PaymentNotVisibleException)
        {
            // Nothing was recorded (not even the event id): Stripe's retry applies it once the payment is there.
            request.HttpContext.Response.SetRetryAfter(DependencyFailures.RetryAfter);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payment not recorded yet",
                detail: "The payment this event is for is still being created; deliver it again shortly.");
        }

        return TypedResults.Ok();
    }

    /// <summary>The event in a signed body; null when the body is not one (any exception out of the parser means that).</summary>
    private static Event? ParsedEvent(string json)
    {
        try
        {
            return EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }
}
