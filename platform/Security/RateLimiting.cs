using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Api;
using Platform.Hosting;

namespace Platform.Security;

/// <summary>
/// Per client IP fixed window, as the WAF rule (2000 requests / 5 minutes by default). The client IP is the one the
/// load balancer forwarded; each task counts its own traffic, the WAF counts the whole fleet.
/// </summary>
internal static class RateLimiting
{
    public static IServiceCollection AddPerClientRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PlatformOptions>>((limiter, platform) =>
        {
            var permits = platform.Value.RateLimitRequests;
            var window = TimeSpan.FromSeconds(platform.Value.RateLimitWindowSeconds);
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.Response.SetRetryAfter(rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window);
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = "This client has sent too many requests; retry after the time in Retry-After.",
                    },
                });
            };
        });
        return services;
    }
}
