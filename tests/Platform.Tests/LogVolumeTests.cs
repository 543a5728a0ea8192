using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Tests;

/// <summary>What a healthy request costs in log lines: none from the libraries under it.</summary>
public sealed class LogVolumeTests
{
    [Fact]
    public async Task A_successful_call_through_a_resilient_client_writes_no_log_line_and_a_retry_still_does()
    {
        var logs = new CapturedLogs();
        var failures = 0;
        await using var app = await PlatformTestApp.StartAsync(
            new() { ["LOG_LEVEL"] = "info" },
            builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Services.AddHttpClient("self").AddStandardResilienceHandler();
            },
            app =>
            {
                app.MapGet("/flaky", IResult () => Interlocked.Increment(ref failures) == 1 ? TypedResults.StatusCode(503) : TypedResults.Ok());
                app.MapGet("/call/{path}", async (string path, IHttpClientFactory clients, HttpContext context) =>
                {
                    using var response = await clients.CreateClient("self").GetAsync(new Uri($"http://{context.Request.Host}/{path}"));
                    return TypedResults.StatusCode((int)response.StatusCode);
                });
            });

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(new Uri("/call/health", UriKind.Relative))).StatusCode);
        Assert.DoesNotContain(logs.Entries, entry => entry.Category.StartsWith("Polly", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(new Uri("/call/flaky", UriKind.Relative))).StatusCode);
        Assert.Contains(logs.Entries, entry => entry.Category.StartsWith("Polly", StringComparison.Ordinal) && entry.Level == LogLevel.Warning);
    }
}
