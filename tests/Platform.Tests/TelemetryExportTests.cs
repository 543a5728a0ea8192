using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.Postgres;

namespace Platform.Tests;

/// <summary>
/// What leaves over OTLP once an endpoint is set: traces and logs (the local viewer shows both), logs with their rendered
/// message; no logs with <c>OTEL_LOGS_EXPORTER=none</c>, as on ECS, where the collector has no pipeline for them; and
/// no trace started by a query with nothing above it, as a worker's polling makes.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task With_an_endpoint_the_request_trace_and_its_log_line_with_the_rendered_message_are_exported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        await using (var app = await StartAppAsync(receiver, logsExporter: null))
        {
            (await app.Client.GetAsync(new Uri("/hold", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        Assert.Contains(receiver.Received("traces"), body => Contains(body, "/hold"));
        Assert.Contains(receiver.Received("logs"), body => Contains(body, "Reservation r-42 held"));
    }

    [Fact]
    public async Task With_the_logs_exporter_none_the_trace_is_exported_and_no_log_line_is()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        await using (var app = await StartAppAsync(receiver, logsExporter: "none"))
        {
            (await app.Client.GetAsync(new Uri("/hold", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        Assert.Contains(receiver.Received("traces"), body => Contains(body, "/hold"));
        Assert.Empty(receiver.Received("logs"));
    }

    [Fact]
    public async Task A_query_with_nothing_above_it_starts_no_trace_and_one_a_request_makes_is_in_that_requests_trace()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var (host, port) = OutageProbes.RealPostgres();
        var settings = OutageProbes.PostgresThrough(port);
        settings["DB_HOST"] = host;

        await using (var app = await StartAppAsync(receiver, logsExporter: null, settings, builder => builder.AddPostgres<ProbeDb>()))
        {
            // Run from the test, the query stands for a worker's polling: no request is above it.
            await using (var polled = app.App.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT 'polled by a worker'"))
            {
                await polled.ExecuteScalarAsync();
            }

            (await app.Client.GetAsync(new Uri("/query", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var traces = receiver.Received("traces").ToList();
        Assert.Contains(traces, body => Contains(body, "SELECT 'asked for by a request'") && Contains(body, "/query"));
        Assert.DoesNotContain(traces, body => Contains(body, "SELECT 'polled by a worker'"));
    }

    /// <summary>The platform's app exporting to <paramref name="receiver"/>; disposing it flushes what its exporters hold.</summary>
    private static Task<PlatformTestApp> StartAppAsync(
        OtlpReceiver receiver, string? logsExporter, Dictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        settings ??= [];
        settings["LOG_LEVEL"] = "info";
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_TRACES_SAMPLER_ARG"] = "1";
        settings["OTEL_LOGS_EXPORTER"] = logsExporter;
        return PlatformTestApp.StartAsync(settings, configure, app =>
        {
            app.MapGet("/hold", (ILoggerFactory loggers) =>
            {
                loggers.CreateLogger("Reservations").LogInformation("Reservation {ReservationId} held", "r-42");
                return TypedResults.Ok();
            });
            app.MapGet("/query", async ([FromServices] NpgsqlDataSource database) =>
            {
                await using var query = database.CreateCommand("SELECT 'asked for by a request'");
                return TypedResults.Ok(await query.ExecuteScalarAsync());
            });
        });
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>An OTLP/HTTP endpoint that accepts every export and keeps its body by signal.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();
        private WebApplication _app = null!;

        public string Address => _app.Urls.Single();

        public IEnumerable<byte[]> Received(string signal) => _exports.Where(e => e.Signal == signal).Select(e => e.Body);

        public static async Task<OtlpReceiver> StartAsync()
        {
            var receiver = new OtlpReceiver();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            receiver._app = builder.Build();
            receiver._app.Urls.Add("http://127.0.0.1:0");
            receiver._app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                receiver._exports.Enqueue((signal, body.ToArray()));
                // An empty Export*ServiceResponse: everything accepted.
                return TypedResults.Bytes([], "application/x-protobuf");
            });
            await receiver._app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
