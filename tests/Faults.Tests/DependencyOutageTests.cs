using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Faults.Tests;

/// <summary>
/// PostgreSQL, Redis and the AWS emulator stopped or paused (a hang, which is worse than a refusal) for a few seconds
/// under steady load on every service: an outage is a quick, honest, retryable answer, and the stack recovers by itself.
/// </summary>
public sealed class DependencyOutageTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private readonly Outage _outage = new(fixture, output);

    /// <summary>Everything on the load but the cached catalogue reads, which may fail open.</summary>
    private static readonly string[] NeedPostgres =
    [
        "GET /api/inventory/products/{id}/stock", "GET /api/customers/me", "PATCH /api/customers/me",
        "GET /api/payments/ (the customer's list)", "GET /api/locations/{id}", "GET /api/locations/nearby",
    ];

    /// <summary>Customers keeps sessions in Redis: its account routes cannot answer without it.</summary>
    private static readonly string[] NeedRedis = ["GET /api/customers/me", "PATCH /api/customers/me"];

    [Fact]
    public async Task PostgreSQL_stopped_answers_503_with_Retry_After_within_5_s_and_readiness_follows_it_down_and_up()
    {
        var probes = fixture.Shop.EveryService();
        var figures = await _outage.RunAsync("PostgreSQL stopped (pg_ctl stop -m fast)", ["postgres"], probes,
            () => fixture.Stack.DevAsync("stop", "postgres"),
            () => fixture.Stack.DevAsync("start", "postgres"));

        Outage.AssertAnsweredFastAndHonestly(figures, probes);
        Outage.AssertRefusedDuringOutage(figures, NeedPostgres);
    }

    [Fact]
    public async Task PostgreSQL_paused_answers_503_with_Retry_After_within_5_s_and_readiness_follows_it_down_and_up()
    {
        var probes = fixture.Shop.EveryService();
        IReadOnlyList<int> paused = [];
        var figures = await _outage.RunAsync("PostgreSQL paused (SIGSTOP on the postmaster and its children)", ["postgres"], probes,
            () => Stack.SignalAsync("STOP", paused = fixture.Stack.PostgresPids()),
            () => Stack.SignalAsync("CONT", paused));

        Outage.AssertAnsweredFastAndHonestly(figures, probes);
        Outage.AssertRefusedDuringOutage(figures, NeedPostgres);
    }

    [Fact]
    public async Task Redis_killed_answers_503_with_Retry_After_where_it_is_needed_and_the_catalogue_fails_open()
    {
        // The test stack's Redis keeps nothing on disk, so a killed Redis also forgets every session: a customer whose
        // session went with it is logged out (401), which is a right answer once Redis is back.
        var probes = fixture.Shop.EveryService()
            .Select(p => NeedRedis.Contains(p.Name) ? p with { Expected = [HttpStatusCode.Unauthorized] } : p).ToList();
        try
        {
            var figures = await _outage.RunAsync("Redis killed (kill -9), then started as ./dev starts it", ["redis"], probes,
                () => Stack.SignalAsync("KILL", [fixture.Stack.Pid("redis")]),
                () => fixture.Stack.DevAsync("start", "redis"));

            Outage.AssertAnsweredFastAndHonestly(figures, probes);
            Outage.AssertRefusedDuringOutage(figures, NeedRedis);
        }
        finally
        {
            await fixture.ReopenShopAsync();
        }
    }

    [Fact]
    public async Task Redis_paused_answers_503_with_Retry_After_where_it_is_needed_and_the_catalogue_fails_open()
    {
        var probes = fixture.Shop.EveryService();
        var figures = await _outage.RunAsync("Redis paused (SIGSTOP)", ["redis"], probes,
            () => Stack.SignalAsync("STOP", [fixture.Stack.Pid("redis")]),
            () => Stack.SignalAsync("CONT", [fixture.Stack.Pid("redis")]));

        Outage.AssertAnsweredFastAndHonestly(figures, probes);
        Outage.AssertRefusedDuringOutage(figures, NeedRedis);
    }

    [Fact]
    public async Task AWS_emulator_paused_keeps_answering_within_5_s_and_an_event_published_meanwhile_is_delivered_after()
    {
        var probes = fixture.Shop.EveryService();
        var shop = fixture.Shop;
        using var http = new HttpClient { BaseAddress = fixture.Stack.LoadBalancer, Timeout = TimeSpan.FromSeconds(20) };
        var (product, location) = (await Shop.StockedAsync(fixture.Stack, 1, 30))[0];
        Guid? reservation = null;

        var figures = await _outage.RunAsync("The AWS emulator paused (SIGSTOP on moto)", ["s3:", "sqs:"], probes,
            () => Stack.SignalAsync("STOP", [fixture.Stack.Pid("moto")]),
            () => Stack.SignalAsync("CONT", [fixture.Stack.Pid("moto")]),
            duringOutage: async () =>
            {
                // A checkout whose payment.succeeded event is published while SQS is away.
                using var reserved = await shop.ReserveAsync(http, product, location, CancellationToken.None);
                Assert.True(reserved.StatusCode == HttpStatusCode.Created,
                    $"reserving during the pause: {(int)reserved.StatusCode} {await reserved.Content.ReadAsStringAsync()}");
                reservation = (await reserved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                using var paid = await shop.PayAsync(http, reservation.Value, CancellationToken.None);
                Assert.True(paid.StatusCode == HttpStatusCode.Created,
                    $"paying during the pause: {(int)paid.StatusCode} {await paid.Content.ReadAsStringAsync()}");
                var intent = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!.Split("_secret_")[0];
                Assert.Equal(HttpStatusCode.OK, await shop.ConfirmAsync(http, intent, CancellationToken.None));
            });

        var ledgers = new Ledgers(fixture.Stack);
        var committed = await Poll.TimeUntilAsync(
            async () => (await ledgers.ReservationsAsync([reservation!.Value]))[reservation.Value].Status == "Committed", TimeSpan.FromSeconds(40));
        output.WriteLine($"  the reservation paid for during the pause was committed {(committed is { } c ? $"{c.TotalSeconds:0.0} s" : "NOT within 40 s")} "
            + "after the figures above were taken");
        Outage.AssertAnsweredFastAndHonestly(figures, probes);
        Assert.True(committed is not null, "the payment event published while the AWS emulator was paused was never delivered to inventory");
    }
}
