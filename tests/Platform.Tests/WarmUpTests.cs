using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Platform.Hosting;
using TestSupport;

namespace Platform.Tests;

/// <summary>
/// A new task sends itself the paths its service declared before it says it is ready: the load balancer's check and
/// readiness answer 503 <c>starting</c> meanwhile, the container's liveness does not, and the warm-up's requests are not
/// counted against the loopback address's rate limit, which a made-up key cannot borrow, nor measured or traced as a
/// client's; a warm-up that fails leaves the task serving, cold.
/// </summary>
public sealed class WarmUpTests
{
    private static readonly Dictionary<string, string?> TwoSecondWarmUpAndThreeRequests = new()
    {
        ["WARMUP_SECONDS"] = "2",
        ["RATE_LIMIT_REQUESTS"] = "3",
        ["RATE_LIMIT_WINDOW_SECONDS"] = "60",
    };

    [Fact]
    public async Task A_new_task_answers_starting_until_it_has_sent_itself_its_paths_then_serves_with_its_clients_quota_whole()
    {
        var warmUpRequests = 0;
        await using var app = await PlatformTestApp.StartAsync(TwoSecondWarmUpAndThreeRequests,
            builder => builder.AddWarmUp("/hot"),
            web => web.MapGet("/hot", () => TypedResults.Ok(Interlocked.Increment(ref warmUpRequests))));

        using var health = await app.Client.GetAsync(new Uri("/health", UriKind.Relative));
        using var ready = await app.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var live = await app.Client.GetAsync(new Uri("/health/live", UriKind.Relative));
        await Eventually.HoldsAsync(async () =>
        {
            using var answer = await app.Client.GetAsync(new Uri("/health", UriKind.Relative));
            return answer.StatusCode == HttpStatusCode.OK;
        }, "the task warm after its two seconds of warm-up");
        var sentByTheWarmUp = Volatile.Read(ref warmUpRequests);
        var clientAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var answer = await app.Client.GetAsync(new Uri("/hot", UriKind.Relative));
            clientAnswers.Add(answer.StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("starting", await StatusAsync(health));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("starting", await StatusAsync(ready));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(sentByTheWarmUp > 3, $"the warm-up sent {sentByTheWarmUp} requests, no more than the loopback address's limit of 3");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], clientAnswers);
        using var readyAfter = await app.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, readyAfter.StatusCode);
    }

    [Fact]
    public async Task API4_a_made_up_warm_up_key_is_counted_like_any_other_request()
    {
        await using var app = await PlatformTestApp.StartAsync(new(TwoSecondWarmUpAndThreeRequests) { ["WARMUP_SECONDS"] = "10" },
            builder => builder.AddWarmUp("/hot"),
            web => web.MapGet("/hot", () => TypedResults.Ok("hot")));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hot");
            request.Headers.Add(WarmUp.KeyHeader, Convert.ToHexString(new byte[16]));
            using var answer = await app.Client.SendAsync(request);
            answers.Add(answer.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task The_warm_ups_requests_are_left_out_of_the_request_metrics_and_traces_and_a_clients_are_not()
    {
        var warmUpRequests = 0;
        var spans = new SpanCollection();
        MetricsRecorder? metrics = null;
        await using var app = await PlatformTestApp.StartAsync(new(TwoSecondWarmUpAndThreeRequests) { ["OTEL_TRACES_SAMPLER_ARG"] = "1" },
            builder =>
            {
                builder.AddWarmUp("/hot");
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            },
            web =>
            {
                metrics = new MetricsRecorder(web.Services);
                web.MapGet("/hot", () => TypedResults.Ok(Interlocked.Increment(ref warmUpRequests)));
            });
        using var recorded = metrics!;
        await Eventually.HoldsAsync(() => Task.FromResult(app.App.Services.GetRequiredService<WarmUp>().IsWarm), "the warm-up ending");
        var sentByTheWarmUp = Volatile.Read(ref warmUpRequests);

        (await app.Client.GetAsync(new Uri("/hot", UriKind.Relative))).EnsureSuccessStatusCode();
        (await app.Client.GetAsync(new Uri("/hot", UriKind.Relative))).EnsureSuccessStatusCode();

        Assert.True(sentByTheWarmUp > 2, $"the warm-up sent {sentByTheWarmUp} requests");
        // Hosts in this process share the activity sources: only the spans of calls to this app's /hot count.
        var hot = new Uri(app.Client.BaseAddress!, "/hot");
        int Measured() => recorded.Values("http.server.request.duration", ("http.route", "/hot")).Count;
        int Traced(ActivityKind kind) => spans.All().Count(span => span.Kind == kind && kind switch
        {
            ActivityKind.Server => span.DisplayName == "GET /hot" && Equals(span.GetTagItem("server.port"), hot.Port),
            _ => (string?)span.GetTagItem("url.full") == hot.ToString(),
        });
        // Both are recorded as a request ends, which may be just after its client has the answer.
        await Eventually.HoldsAsync(
            () => Task.FromResult(Measured() >= 2 && Traced(ActivityKind.Server) >= 2), "the client's two requests measured and traced");
        Assert.Equal(2, Measured());
        Assert.Equal(2, Traced(ActivityKind.Server));
        Assert.Equal(2, Traced(ActivityKind.Client)); // the test's own calls; the warm-up's made no span
    }

    [Fact]
    public async Task A_service_that_declares_no_path_is_ready_at_once()
    {
        await using var app = await PlatformTestApp.StartAsync(TwoSecondWarmUpAndThreeRequests);

        using var health = await app.Client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_warm_up_that_fails_leaves_the_task_serving_cold()
    {
        await using var app = await PlatformTestApp.StartAsync(TwoSecondWarmUpAndThreeRequests,
            builder => builder.AddWarmUp<UnreadablePaths>(),
            web => web.MapGet("/hot", () => TypedResults.Ok("hot")));

        var warmUp = app.App.Services.GetRequiredService<WarmUp>().ExecuteTask!;
        await Task.WhenAny(warmUp, Task.Delay(TimeSpan.FromSeconds(10)));
        using var health = await app.Client.GetAsync(new Uri("/health", UriKind.Relative));
        using var hot = await app.Client.GetAsync(new Uri("/hot", UriKind.Relative));

        Assert.True(warmUp.IsCompletedSuccessfully, $"the warm-up ended {warmUp.Status}, which stops the host");
        Assert.False(app.App.Lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hot.StatusCode);
    }

    private sealed class UnreadablePaths : IWarmUpPaths
    {
        public Task<IReadOnlyList<string>> PathsAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the paths' source is not readable");
    }

    private static async Task<string?> StatusAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
}
