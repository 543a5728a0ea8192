using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.Tests;

/// <summary>
/// What leaves over OTLP once an endpoint is set: traces and logs (the local viewer shows both), logs with their rendered
/// message; and no logs with <c>OTEL_LOGS_EXPORTER=none</c>, as on ECS, where the collector has no pipeline for them.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task With_an_endpoint_the_request_trace_and_its_log_line_with_the_rendered_message_are_exported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        await SendOneLoggedRequestAsync(receiver, logsExporter: null);

        Assert.NotEmpty(receiver.Received("traces"));
        Assert.Contains(receiver.Received("logs"), body => Contains(body, "Reservation r-42 held"));
    }

    [Fact]
    public async Task With_the_logs_exporter_none_the_trace_is_exported_and_no_log_line_is()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        await SendOneLoggedRequestAsync(receiver, logsExporter: "none");

        Assert.NotEmpty(receiver.Received("traces"));
        Assert.Empty(receiver.Received("logs"));
    }

    /// <summary>One request that logs a line; stopping the app flushes what its exporters still hold.</summary>
    private static async Task SendOneLoggedRequestAsync(OtlpReceiver receiver, string? logsExporter)
    {
        await using var app = await PlatformTestApp.StartAsync(
            new()
            {
                ["LOG_LEVEL"] = "info",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_TRACES_SAMPLER_ARG"] = "1",
                ["OTEL_LOGS_EXPORTER"] = logsExporter,
            },
            map: app => app.MapGet("/hold", (ILoggerFactory loggers) =>
            {
                loggers.CreateLogger("Reservations").LogInformation("Reservation {ReservationId} held", "r-42");
                return TypedResults.Ok();
            }));

        (await app.Client.GetAsync(new Uri("/hold", UriKind.Relative))).EnsureSuccessStatusCode();
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
