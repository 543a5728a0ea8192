using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
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
/// <para>
/// And per customer, on the routes that hold stock or money (<see cref="RequireCustomerWriteRateLimit"/>): one
/// account, behind any number of addresses, may create only so many reservations or payments a window
/// (<c>CUSTOMER_WRITE_RATE_LIMIT</c> per <c>CUSTOMER_WRITE_RATE_WINDOW_SECONDS</c>).
/// </para>
/// </summary>
public static class RateLimiting
{
    /// <summary>The name of the per-customer limiter (a keyed service) that <see cref="RequireCustomerWriteRateLimit"/> applies.</summary>
    public const string CustomerWrites = "customer-writes";

    internal static IServiceCollection AddPerClientRateLimit(this IServiceCollection services)
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

        services.AddKeyedSingleton(CustomerWrites, (provider, _) =>
        {
            var platform = provider.GetRequiredService<IOptions<PlatformOptions>>().Value;
            var options = new FixedWindowRateLimiterOptions
            {
                PermitLimit = platform.CustomerWriteRateLimit,
                Window = TimeSpan.FromSeconds(platform.CustomerWriteRateWindowSeconds),
                QueueLimit = 0,
            };
            return PartitionedRateLimiter.Create<HttpContext, Guid>(
                context => RateLimitPartition.GetFixedWindowLimiter(context.User.CustomerId(), _ => options));
        });
        services.AddSingleton<PerClientRateLimit>();
        return services;
    }

    /// <summary>
    /// Limits each customer (the token's <c>sub</c>; for routes that require a token) to <c>CUSTOMER_WRITE_RATE_LIMIT</c>
    /// requests per <c>CUSTOMER_WRITE_RATE_WINDOW_SECONDS</c> on these routes; beyond, 429 with <c>Retry-After</c>, and
    /// the handler does not run. Another customer is not affected. It is an endpoint filter rather than a policy of the
    /// rate-limiting middleware because it needs the authenticated customer, and that middleware runs before
    /// authentication (so token guessing is counted per IP).
    /// </summary>
    public static TBuilder RequireCustomerWriteRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var limiter = context.RequestServices.GetRequiredKeyedService<PartitionedRateLimiter<HttpContext>>(CustomerWrites);
            using var lease = limiter.AttemptAcquire(context);
            if (lease.IsAcquired)
            {
                return await next(invocation);
            }

            var platform = context.RequestServices.GetRequiredService<IOptions<PlatformOptions>>().Value;
            context.Response.SetRetryAfter(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                ? wait
                : TimeSpan.FromSeconds(platform.CustomerWriteRateWindowSeconds));
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: $"A customer may make {platform.CustomerWriteRateLimit} of these requests every {platform.CustomerWriteRateWindowSeconds} s "
                    + "(CUSTOMER_WRITE_RATE_LIMIT, CUSTOMER_WRITE_RATE_WINDOW_SECONDS); retry after the time in Retry-After.");
        });
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), ["application/problem+json"]));
        return builder;
    }

    /// <summary>Answers a request refused by a rate limit: 429, <c>Retry-After</c>, a problem.</summary>
    public static ValueTask RejectAsync(HttpContext context, TimeSpan retryAfter) =>
        context.WriteRetryLaterAsync(StatusCodes.Status429TooManyRequests, "Too many requests",
            "This client has sent too many requests; retry after the time in Retry-After.", retryAfter);
}
