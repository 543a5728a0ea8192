using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stripe;

namespace StripeEmulator.Tests;

public sealed class FaultTests
{
    private static readonly PaymentIntentCreateOptions Intent = new() { Amount = 1200, Currency = "eur" };

    [Fact]
    public async Task Every_API_call_waits_the_configured_latency_before_it_is_answered()
    {
        await using var emulator = await Emulator.StartAsync(new Dictionary<string, string> { ["STRIPE_EMULATOR_LATENCY_MS"] = "400" });
        var stripe = emulator.Stripe();

        var started = Stopwatch.GetTimestamp();
        var created = await stripe.V1.PaymentIntents.CreateAsync(Intent);
        var createTook = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        await stripe.V1.PaymentIntents.GetAsync(created.Id);
        var retrieveTook = Stopwatch.GetElapsedTime(started);

        Assert.True(createTook >= TimeSpan.FromMilliseconds(400), $"the create took {createTook.TotalMilliseconds} ms");
        Assert.True(retrieveTook >= TimeSpan.FromMilliseconds(400), $"the retrieve took {retrieveTook.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_error_rate_of_one_answers_500_api_error_and_creates_nothing()
    {
        await using var emulator = await Emulator.StartAsync(new Dictionary<string, string> { ["STRIPE_EMULATOR_ERROR_RATE"] = "1" });
        var stripe = emulator.Stripe();

        var error = await Assert.ThrowsAsync<StripeException>(
            () => stripe.V1.PaymentIntents.CreateAsync(Intent, new RequestOptions { IdempotencyKey = "key-1" }));
        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatusCode);
        Assert.Equal("api_error", error.StripeError.Type);

        await PutFaultsAsync(emulator, new { });
        Assert.Empty(await stripe.V1.PaymentIntents.ListAsync());
        // Nothing was recorded under the key either: the same request now runs and creates.
        var created = await stripe.V1.PaymentIntents.CreateAsync(Intent, new RequestOptions { IdempotencyKey = "key-1" });
        Assert.Equal(created.Id, Assert.Single(await stripe.V1.PaymentIntents.ListAsync()).Id);
    }

    [Fact]
    public async Task A_timeout_rate_of_one_creates_the_intent_yet_the_client_never_hears_so()
    {
        await using var emulator = await Emulator.StartAsync(new Dictionary<string, string> { ["STRIPE_EMULATOR_TIMEOUT_RATE"] = "1" });
        var options = new PaymentIntentCreateOptions { Amount = 1200, Currency = "eur", Metadata = new() { ["payment_id"] = "p-timeout" } };

        var timedOut = await Assert.ThrowsAsync<TaskCanceledException>(() =>
            emulator.Stripe(TimeSpan.FromSeconds(1)).V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = "key-timeout" }));
        Assert.IsType<TimeoutException>(timedOut.InnerException);

        await PutFaultsAsync(emulator, new { });
        var stripe = emulator.Stripe();
        var created = Assert.Single(await stripe.V1.PaymentIntents.ListAsync());
        Assert.Equal("p-timeout", created.Metadata["payment_id"]);
        // The key was recorded with the work: the client's retry gets the same intent, not a second one.
        var replayed = await stripe.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = "key-timeout" });
        Assert.Equal(created.Id, replayed.Id);
        Assert.Single(await stripe.V1.PaymentIntents.ListAsync());
    }

    [Fact]
    public async Task Faults_set_at_run_time_change_what_the_next_call_gets()
    {
        await using var emulator = await Emulator.StartAsync();
        var stripe = emulator.Stripe();
        await stripe.V1.PaymentIntents.CreateAsync(Intent);

        var set = await PutFaultsAsync(emulator, new { error_rate = 1, latency_ms = 5 });
        Assert.Equal(1, set.GetProperty("error_rate").GetDouble());
        var current = await emulator.Control.GetFromJsonAsync<JsonElement>("/_emulator/faults");
        Assert.Equal(1, current.GetProperty("error_rate").GetDouble());
        Assert.Equal(5, current.GetProperty("latency_ms").GetInt32());
        Assert.Equal(30_000, current.GetProperty("timeout_ms").GetInt32());
        var error = await Assert.ThrowsAsync<StripeException>(() => stripe.V1.PaymentIntents.CreateAsync(Intent));
        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatusCode);

        await PutFaultsAsync(emulator, new { });
        await stripe.V1.PaymentIntents.CreateAsync(Intent);
        Assert.Equal(2, (await stripe.V1.PaymentIntents.ListAsync()).Data.Count);
    }

    [Theory]
    [InlineData("""{"error_rate": 1.5}""", "error_rate")]
    [InlineData("""{"timeout_rate": -0.1}""", "timeout_rate")]
    [InlineData("""{"drop_webhook_rate": 2}""", "drop_webhook_rate")]
    [InlineData("""{"latency_ms": -1}""", "latency_ms")]
    [InlineData("""{"latency_jitter_ms": -5}""", "latency_jitter_ms")]
    [InlineData("""{"timeout_ms": -1}""", "timeout_ms")]
    [InlineData("""{"errorRate": 1}""", null)]
    [InlineData("""{"error_rate": "often"}""", null)]
    public async Task Invalid_fault_settings_are_refused_with_400_and_change_nothing(string body, string? named)
    {
        await using var emulator = await Emulator.StartAsync(new Dictionary<string, string> { ["STRIPE_EMULATOR_LATENCY_MS"] = "1" });

        using var response = await emulator.Control.PutAsync("/_emulator/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (named is not null)
        {
            Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var current = await emulator.Control.GetFromJsonAsync<JsonElement>("/_emulator/faults");
        Assert.Equal(1, current.GetProperty("latency_ms").GetInt32());
        Assert.Equal(0, current.GetProperty("error_rate").GetDouble());
        Assert.Equal(0, current.GetProperty("timeout_rate").GetDouble());
    }

    [Fact]
    public async Task The_fault_settings_need_the_test_secret_key()
    {
        await using var emulator = await Emulator.StartAsync();

        using var response = await emulator.Http(key: null).PutAsJsonAsync("/_emulator/faults", new { error_rate = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await emulator.Control.GetFromJsonAsync<JsonElement>("/_emulator/faults")).GetProperty("error_rate").GetDouble());
    }

    [Fact]
    public void Invalid_fault_settings_at_start_stop_the_start()
    {
        var error = Assert.Throws<ArgumentException>(() => Api.Build(["--urls", "http://127.0.0.1:0", "--STRIPE_EMULATOR_ERROR_RATE", "2"]));

        Assert.Contains("error_rate", error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> PutFaultsAsync(Emulator emulator, object settings)
    {
        using var response = await emulator.Control.PutAsJsonAsync("/_emulator/faults", settings);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
