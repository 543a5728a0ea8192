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
/// Per client IP fixed window, as the WAF rule (2000 requests / 5 minutes by default), counted before authentication
/// (<see cref="PerClientRateLimit"/>) so refused tokens count too. The client IP is the one the load balancer
/// forwarded; each task counts its own traffic, the WAF counts the whole fleet.
/// </summary>
internal static class RateLimiting
{
    public static IServiceCollection AddPerClientRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PlatformOptions>>((limiter, platform) =>
        {
            // The per-address limit runs as its own middleware before authentication (PerClientRateLimit); the
            // limiter here runs after it, for endpoint policies that partition by the authenticated customer.
            var window = TimeSpan.FromSeconds(platform.Value.RateLimitWindowSeconds);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) =>
                RejectAsync(rejected.HttpContext, rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window);
        });
        services.AddSingleton<PerClientRateLimit>();
        return services;
    }

    /// <summary>Answers a request refused by a rate limit: 429, <c>Retry-After</c>, a problem.</summary>
    public static async ValueTask RejectAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.SetRetryAfter(retryAfter);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "This client has sent too many requests; retry after the time in Retry-After.",
            },
        });
    }
}
