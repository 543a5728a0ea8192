using Microsoft.AspNetCore.Http.HttpResults;

namespace StripeEmulator;

/// <summary>
/// The emulator's own endpoints, beside Stripe's API and behind the same <c>sk_test_</c> key: the fault settings, read and
/// replaced while it runs (a benchmark turns Stripe slow mid-run), and what became of each webhook.
/// </summary>
public static class EmulatorControl
{
    public static void MapEmulatorControl(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapGet("/faults", (Faults faults) => TypedResults.Ok(faults.Settings));
        control.MapPut("/faults", ReplaceFaults);
        control.MapGet("/webhooks", (WebhookDeliveries deliveries) => TypedResults.Ok(deliveries.All()));
    }

    private static Results<Ok<FaultSettings>, JsonHttpResult<ErrorBody>> ReplaceFaults(FaultSettings settings, Faults faults, ILogger<Faults> logger)
    {
        if (settings.Problems() is { Count: > 0 } problems)
        {
            return TypedResults.Json(new ErrorBody(new StripeError("invalid_request_error", string.Join("; ", problems))), Api.Json,
                statusCode: StatusCodes.Status400BadRequest);
        }

        faults.Settings = settings;
        logger.LogInformation("Fault settings replaced: {FaultSettings}", settings);
        return TypedResults.Ok(settings);
    }
}
