using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Hosting;

namespace Platform.Security;

/// <summary>
/// <c>RATE_LIMIT_REQUESTS</c> per <c>RATE_LIMIT_WINDOW_SECONDS</c> per client address, counted before authentication:
/// a request refused with 401 or 403 (a guessed token) counts like any other. Routes marked
/// <c>DisableRateLimiting</c> (the health checks) are not counted.
/// </summary>
internal sealed class PerClientRateLimit : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public PerClientRateLimit(IOptions<PlatformOptions> platform)
    {
        var permits = platform.Value.RateLimitRequests;
        Window = TimeSpan.FromSeconds(platform.Value.RateLimitWindowSeconds);
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = Window, QueueLimit = 0 }));
    }

    public TimeSpan Window { get; }

    public RateLimitLease Acquire(HttpContext context) => _limiter.AttemptAcquire(context);

    public void Dispose() => _limiter.Dispose();
}

internal static class PerClientRateLimitMiddleware
{
    // The limiter is resolved per request, not while the pipeline is built: start-up validation of RATE_LIMIT_* runs later.
    public static IApplicationBuilder UsePerClientRateLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsExempt(context))
            {
                await next(context);
                return;
            }

            var limit = context.RequestServices.GetRequiredService<PerClientRateLimit>();
            using var lease = limit.Acquire(context);
            if (!lease.IsAcquired)
            {
                await RateLimiting.RejectAsync(context, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit.Window);
                return;
            }

            await next(context);
        });

    /// <summary>
    /// Routes marked <c>DisableRateLimiting</c> (the health checks) are never counted or refused, nor are the requests a
    /// new task sends itself to warm up.
    /// </summary>
    public static bool IsExempt(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null
        || WarmUp.IsWarmUpRequest(context);
}
