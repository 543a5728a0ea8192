using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;

namespace Platform.Tests;

/// <summary>
/// Load shedding: past <c>MAX_CONCURRENT_REQUESTS</c> in progress and as many waiting, a task answers 503 with
/// <c>Retry-After</c> at once; a request that finds a slot free within <c>ADMISSION_WAIT_MS</c> is served; the health
/// checks are never refused.
/// </summary>
public sealed class AdmissionControlTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Past_its_limit_and_its_queue_a_busy_task_answers_503_with_retry_after_at_once_and_stays_healthy()
    {
        await using var held = await HeldRequests.StartAsync(maxConcurrentRequests: 2, admissionWaitMs: 30000);
        var client = held.Client;

        var serving = new[] { client.GetAsync("/held"), client.GetAsync("/held") };
        await held.InsideAsync(2);
        var waiting = client.GetAsync("/held"); // the queue holds as many as the limit: two
        var alsoWaiting = client.GetAsync("/held");
        await Task.Delay(200);
        using var refused = await client.GetAsync("/slow?milliseconds=0"); // answered while all four are still held

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Service busy", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.False(waiting.IsCompleted || alsoWaiting.IsCompleted, "a request within the queue's room was answered without waiting for a slot");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        held.Release();
        Assert.All(await Task.WhenAll([.. serving, waiting, alsoWaiting]), served => Assert.Equal(HttpStatusCode.OK, served.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/slow?milliseconds=0")).StatusCode);
    }

    [Fact]
    public async Task A_request_that_waits_longer_than_the_admission_wait_is_refused_and_one_that_gets_a_slot_in_time_is_served()
    {
        await using var held = await HeldRequests.StartAsync(maxConcurrentRequests: 1, admissionWaitMs: 2000);
        var client = held.Client;

        var serving = client.GetAsync("/held");
        await held.InsideAsync(1);
        using var waitedTooLong = await client.GetAsync("/slow?milliseconds=0");
        var waiting = client.GetAsync("/slow?milliseconds=0");
        await Task.Delay(100);
        held.Release();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waitedTooLong.StatusCode);
        Assert.True(waitedTooLong.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await serving).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);
    }

    /// <summary>A task on the platform whose <c>/held</c> requests stay in progress until the test lets them go.</summary>
    private sealed class HeldRequests : IAsyncDisposable
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private PlatformTestApp _app = null!;
        private int _inside;

        public HttpClient Client { get; private set; } = null!;

        public static async Task<HeldRequests> StartAsync(int maxConcurrentRequests, int admissionWaitMs)
        {
            var held = new HeldRequests();
            held._app = await PlatformTestApp.StartAsync(
                new()
                {
                    ["MAX_CONCURRENT_REQUESTS"] = maxConcurrentRequests.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["ADMISSION_WAIT_MS"] = admissionWaitMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                map: app => app.MapGet("/held", async () =>
                {
                    Interlocked.Increment(ref held._inside);
                    await held._release.Task;
                    return TypedResults.Ok();
                }));
            held.Client = new HttpClient { BaseAddress = held._app.Client.BaseAddress, Timeout = Patience };
            return held;
        }

        public Task InsideAsync(int count) =>
            Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref _inside) >= count), $"{count} requests inside the endpoint");

        public void Release() => _release.TrySetResult();

        public async ValueTask DisposeAsync()
        {
            Release();
            Client.Dispose();
            await _app.DisposeAsync();
        }
    }
}
