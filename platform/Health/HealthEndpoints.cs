using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Api;
using Platform.Hosting;

namespace Platform.Health;

/// <summary>
/// <c>/health</c> for the load balancer (shallow: 200 while serving, 503 while the task warms up and once shutdown
/// began), <c>/health/live</c> for the container, <c>/health/ready</c> with each dependency's status and latency (503
/// while the task warms up). Always on and anonymous.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.MapGroup("/health").AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();

        health.MapGet("", Shallow).WithName("Health");

        health.MapHealthChecks("/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Live),
            ResponseWriter = WriteReportAsync,
        });

        health.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = WriteReadinessAsync,
        });

        return endpoints;
    }

    // Serialised once, not for every answer (about 2 µs each, bench/analysis.md): the load balancers ask all the time.
    private static readonly byte[] Serving = JsonSerializer.SerializeToUtf8Bytes(new ShallowHealth("ok"), ApiJson.Options);

    private static Results<FileContentHttpResult, JsonHttpResult<ShallowHealth>> Shallow(ShutdownDrain drain, WarmUp warmUp) =>
        drain.IsDraining ? TypedResults.Json(new ShallowHealth("draining"), statusCode: StatusCodes.Status503ServiceUnavailable)
        : !warmUp.IsWarm ? TypedResults.Json(new ShallowHealth(Starting), statusCode: StatusCodes.Status503ServiceUnavailable)
        : TypedResults.Bytes(Serving, "application/json");

    private const string Starting = "starting";

    // Not ready while the task warms up: the dependencies' report is given all the same.
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        if (context.RequestServices.GetService(typeof(WarmUp)) is WarmUp { IsWarm: false })
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.CacheControl = "no-store";
            var body = new HealthReportBody(Starting, report.TotalDuration.TotalMilliseconds, Entries(report));
            return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
        }

        return WriteReportAsync(context, report);
    }

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        var drain = context.RequestServices.GetService(typeof(ShutdownDrain)) as ShutdownDrain;
        if (drain?.IsDraining == true)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthReportBody(Status(report.Status), report.TotalDuration.TotalMilliseconds, Entries(report));
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    private static Dictionary<string, HealthEntryBody> Entries(HealthReport report) =>
        report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new HealthEntryBody(
                entry.Value.Status == HealthStatus.Healthy ? "up" : "down", entry.Value.Duration.TotalMilliseconds, entry.Value.Description));

    // A dependency is up or down; the service is degraded when only an optional one (a cache) is down.
    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "up",
        HealthStatus.Degraded => "degraded",
        _ => "down",
    };

    public sealed record ShallowHealth(string Status);

    public sealed record HealthReportBody(string Status, double DurationMs, IReadOnlyDictionary<string, HealthEntryBody> Checks);

    public sealed record HealthEntryBody(string Status, double LatencyMs, string? Description);
}
