using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Observability;

namespace Platform.Tests;

/// <summary>
/// What a request costs in log lines: none from the libraries under a healthy one, and during an outage one line a
/// second however many requests fail; a flood of lines never makes a request wait for the console.
/// </summary>
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

    [Fact]
    public async Task A_flood_of_requests_failed_by_one_dependency_is_logged_once_a_second_with_how_many_failed()
    {
        var logs = new CapturedLogs();
        await using var app = await PlatformTestApp.StartAsync(
            new() { ["LOG_LEVEL"] = "info" },
            builder => builder.Logging.AddProvider(logs),
            app => app.MapGet("/down", IResult () => throw new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111))));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => app.Client.GetAsync(new Uri("/down", UriKind.Relative))));
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode));
        var lines = logs.Entries.Where(entry => entry.Category == "Platform.Errors.PlatformExceptionHandler").ToList();
        Assert.InRange(lines.Count, 1, 1 + (int)Math.Ceiling(seconds));
        Assert.All(lines, line => Assert.Equal("postgres", line["Dependency"]));
        // The first failures are reported at once (with any that raced them), the rest at most once a second.
        Assert.All(lines, line => Assert.InRange((long)line["Failed"]!, 1, 200));
        Assert.InRange(lines.Sum(line => (long)line["Failed"]!), lines.Count, 200);
    }

    [Fact]
    public void A_throttled_line_is_due_for_the_first_event_then_once_a_second_with_the_count_since_the_last()
    {
        var clock = new ManualClock();
        var throttle = new LogThrottle(clock);

        Assert.Equal(1L, throttle.Count());
        Assert.All(Enumerable.Range(0, 98), _ => Assert.Null(throttle.Count()));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Null(throttle.Count());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(100L, throttle.Count());
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1L, throttle.Count());
    }

    [Fact]
    public async Task The_console_logger_drops_lines_past_its_queue_rather_than_make_a_request_wait()
    {
        await using var app = await PlatformTestApp.StartAsync();

        Assert.Equal(ConsoleLoggerQueueFullMode.DropWrite, app.App.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.QueueFullMode);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.FromDays(1).Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
