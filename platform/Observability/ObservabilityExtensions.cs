using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.Configuration;
using Platform.Hosting;

namespace Platform.Observability;

internal static class ObservabilityExtensions
{
    private const double DefaultSamplingRatio = 0.1;

    /// <summary>
    /// JSON logs on stdout (one object per line, with the trace and span ids, for awslogs and CloudWatch Insights),
    /// and traces of requests, outgoing HTTP, Npgsql commands and events through SQS (one trace across the queue hop),
    /// sampled parent-based at 10 % as in the seed; and metrics (<see cref="ApplicationMetrics"/>). Both are exported over
    /// OTLP (to the ADOT collector, which sends traces to X-Ray and metrics to CloudWatch) only when an endpoint is configured;
    /// logs go that way too unless <c>OTEL_LOGS_EXPORTER</c> is <c>none</c> (the local viewer shows them beside the traces).
    /// </summary>
    public static void AddPlatformObservability(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        // A request never waits for the console: past the queue's 2,500 lines the newest are dropped, and the console
        // logger says how many. Waiting, request threads blocked on its lock during a flood of failures.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.SetMinimumLevel(PlatformOptions.ParseLogLevel(builder.Configuration["LOG_LEVEL"]));
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // A failed command or save surfaces as an exception: the caller handles it (a unique violation is a 409) or
        // the exception handler logs it once as a 500. EF's own error entries would only repeat it, SQL included.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Update", LogLevel.Critical);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Four entries for every outgoing call (payments logged more than it served); the traces time those calls.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // Polly logs every attempt of every resilient call (payments logged one per inventory read); its retries, timeouts
        // and opened circuits are warnings and stay.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);

        var samplingArgument = builder.DeclareVariable("OTEL_TRACES_SAMPLER_ARG", DefaultSamplingRatio.ToString(CultureInfo.InvariantCulture));
        var samplingRatio = double.TryParse(builder.Configuration[samplingArgument], NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio)
            ? Math.Clamp(ratio, 0, 1)
            : DefaultSamplingRatio;
        var tracedName = builder.Configuration[builder.DeclareVariable("OTEL_SERVICE_NAME")] ?? serviceName;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(tracedName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(samplingRatio)))
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/health") && !WarmUp.IsWarmUpRequest(context))
                // Outgoing HTTP is Stripe, the other services, and S3, SQS and Secrets Manager (the AWS SDK's calls are
                // HTTP, named here after their AWS operation).
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = (span, request) =>
                {
                    if (AwsOperation(request) is var (service, method))
                    {
                        span.SetTag("rpc.system", "aws-api");
                        span.SetTag("rpc.service", service);
                        span.SetTag("rpc.method", method);
                    }
                })
                // Redis is traced where its multiplexer is made (RedisExtensions), for traced requests only.
                .AddSource("Npgsql")
                .AddSource(Messaging.MessagingTrace.SourceName, ApplicationTraces.SourceName))
            .WithMetrics(metrics => metrics.AddMeter([ApplicationMetrics.MeterName, .. ApplicationMetrics.BuiltInMeters]));
        var exportsLogs = !string.Equals(
            builder.Configuration[builder.DeclareVariable("OTEL_LOGS_EXPORTER", "otlp")], "none", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[builder.DeclareVariable("OTEL_EXPORTER_OTLP_ENDPOINT")]))
        {
            // One exporter per signal rather than UseOtlpExporter, which always adds logs: on ECS they leave through awslogs
            // alone, since the collector has no pipeline for them.
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter()).WithMetrics(metrics => metrics.AddOtlpExporter());
            if (exportsLogs)
            {
                // The rendered message and the scopes, as the console has them; the console logger stays.
                telemetry.WithLogging(logs => logs.AddOtlpExporter(), options =>
                {
                    options.IncludeFormattedMessage = true;
                    options.IncludeScopes = true;
                });
            }
        }
    }

    /// <summary>The AWS API an SDK request calls, from its <c>X-Amz-Target</c> ("AmazonSQS.SendMessage"); null for others.</summary>
    private static (string Service, string Method)? AwsOperation(HttpRequestMessage request) =>
        request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault()?.Split('.') is [var service, var method]
            ? (service, method)
            : null;
}
