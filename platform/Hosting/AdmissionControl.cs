using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Api;
using Platform.Errors;
using Platform.Observability;
using Platform.Security;

namespace Platform.Hosting;

/// <summary>
/// Load shedding. A task serves at most <c>MAX_CONCURRENT_REQUESTS</c> requests at once; as many again may wait up to
/// <c>ADMISSION_WAIT_MS</c> for one of those to finish; any other request is answered 503 with <c>Retry-After</c> at
/// once. Past its capacity a service then keeps serving what it can: without the limit every request starts, queues
/// for a pooled connection behind all the others, and most give up half-done, so the work done per second falls
/// towards nothing. Routes marked <c>DisableRateLimiting</c> (the health checks) are not counted, so the load balancer
/// still sees a busy task as alive and ready.
/// </summary>
internal sealed class AdmissionControl : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger<AdmissionControl> _logger;
    private readonly LogThrottle _refusals;

    public AdmissionControl(IOptions<PlatformOptions> platform, TimeProvider time, ILogger<AdmissionControl> logger)
    {
        _time = time;
        _logger = logger;
        _refusals = new LogThrottle(time);
        Limit = platform.Value.MaxConcurrentRequests;
        Wait = TimeSpan.FromMilliseconds(platform.Value.AdmissionWaitMilliseconds);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Limit,
            QueueLimit = Limit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Limit { get; }

    public TimeSpan Wait { get; }

    /// <summary>A lease to serve the request, or null when the task is too busy; throws when the client went away while it waited.</summary>
    public async ValueTask<RateLimitLease?> AdmitAsync(CancellationToken requestAborted)
    {
        var free = _limiter.AttemptAcquire(); // the usual case, without a timer
        if (free.IsAcquired)
        {
            return free;
        }

        free.Dispose();
        using var waited = new CancellationTokenSource(Wait, _time);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, waited.Token);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, patience.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return null; // waited its time in the queue
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose(); // the queue is full
        return null;
    }

    /// <summary>Counts a refusal; the log says how many there were, at most once a second.</summary>
    public void LogRefusal()
    {
        if (_refusals.Count() is { } refused)
        {
            _logger.LogWarning("Too busy: {Refused} requests refused with 503 since the last report (at most {Limit} served at once)", refused, Limit);
        }
    }

    public void Dispose() => _limiter.Dispose();
}

internal static class AdmissionControlMiddleware
{
    // Resolved per request, not while the pipeline is built: start-up validation of the variables runs later.
    public static IApplicationBuilder UseAdmissionControl(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (PerClientRateLimitMiddleware.IsExempt(context))
            {
                await next(context);
                return;
            }

            var admission = context.RequestServices.GetRequiredService<AdmissionControl>();
            using var lease = await admission.AdmitAsync(context.RequestAborted);
            if (lease is null)
            {
                await RefuseAsync(context, admission);
                return;
            }

            await next(context);
        });

    private static ValueTask RefuseAsync(HttpContext context, AdmissionControl admission)
    {
        admission.LogRefusal();
        return context.WriteRetryLaterAsync(StatusCodes.Status503ServiceUnavailable, "Service busy",
            "This service is serving as many requests as it can; retry after the time in Retry-After.",
            // The platform's one "retry later": long enough for a backlog to drain (with 1 s, refused clients came back
            // while it was still there and were refused again).
            DependencyFailures.RetryAfter);
    }
}
