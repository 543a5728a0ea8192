using System.Security.Cryptography;

namespace StripeEmulator;

/// <summary>
/// Plays a slow and failing Stripe on every <c>/v1</c> call, as set in <see cref="Faults"/>: each call first waits the
/// latency; an error answers 500 <c>api_error</c> before anything is done; a timeout does the work (the intent exists,
/// the idempotency key is recorded) and then holds the answer, so the client cannot tell whether it happened. Holds end
/// when the client gives up, so an abandoned call does not keep the emulator busy.
/// </summary>
public sealed class FaultFilter(Faults faults, TimeProvider time, ILogger<FaultFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        // Stripe names every answer; clients log it beside their errors.
        http.Response.Headers["Request-Id"] = $"req_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var settings = faults.Settings;
        if (!await HoldAsync(faults.Latency(settings), http.RequestAborted))
        {
            return Results.Empty;
        }

        if (faults.Happens(settings.ErrorRate))
        {
            logger.LogInformation("Injected error: {Method} {Path} answers 500 without being handled", http.Request.Method, http.Request.Path);
            return Api.Error(StatusCodes.Status500InternalServerError,
                new StripeError("api_error", "An unknown error occurred with our servers. Please try again."));
        }

        var result = await next(context);
        if (faults.Happens(settings.TimeoutRate))
        {
            logger.LogInformation("Injected timeout: {Method} {Path} was handled; its answer is held for {TimeoutMs} ms",
                http.Request.Method, http.Request.Path, settings.TimeoutMs);
            if (!await HoldAsync(TimeSpan.FromMilliseconds(settings.TimeoutMs), http.RequestAborted))
            {
                return Results.Empty;
            }
        }

        return result;
    }

    /// <summary>Waits, or returns false as soon as the client has gone.</summary>
    private async Task<bool> HoldAsync(TimeSpan delay, CancellationToken aborted)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, time, aborted);
            return true;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return false;
        }
    }
}
