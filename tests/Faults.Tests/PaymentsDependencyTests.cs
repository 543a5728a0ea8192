using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faults.Tests;

/// <summary>Payments' own dependencies away: the Stripe emulator paused, inventory stopped while payments calls it.</summary>
public sealed class PaymentsDependencyTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private const string Create = "POST /api/payments/ (create, after a reservation)";
    private const string List = "GET /api/payments/ (the customer's list)";
    private static readonly TimeSpan FastList = TimeSpan.FromSeconds(2);

    private readonly Outage _outage = new(fixture, output);

    [Fact]
    public async Task Stripe_paused_payment_creation_answers_503_with_Retry_After_within_5_s_and_the_list_stays_fast()
    {
        var shop = fixture.Shop;
        IReadOnlyList<Probe> probes = [shop.PaymentCreation(Create), shop.EveryService().Single(p => p.Name == List)];
        var figures = await _outage.RunAsync("The Stripe emulator paused (SIGSTOP)", [], probes,
            () => Stack.SignalAsync("STOP", [fixture.Stack.Pid("stripe")]),
            () => Stack.SignalAsync("CONT", [fixture.Stack.Pid("stripe")]));

        Outage.AssertAnsweredFastAndHonestly(figures, probes);
        Outage.AssertRefusedDuringOutage(figures, Create);
        var lists = figures.Answers.Where(a => a.Probe == List).ToList();
        Assert.All(lists, a => Assert.Equal(200, a.Status));
        Assert.True(lists.Max(a => a.Seconds) <= FastList.TotalSeconds,
            $"a customer's list of payments waited {lists.Max(a => a.Seconds):0.00} s while Stripe was paused (at most {FastList.TotalSeconds} s)");
    }

    [Fact]
    public async Task Inventory_stopped_payment_creation_answers_503_never_500_and_recovers_when_inventory_is_back()
    {
        var shop = fixture.Shop;
        using var http = new HttpClient { BaseAddress = fixture.Stack.LoadBalancer, Timeout = TimeSpan.FromSeconds(20) };
        var (product, location) = (shop.Product, shop.Location);

        // Reservations made while inventory is up; during the outage payments must ask inventory for their amount.
        var pool = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            using var reserved = await shop.ReserveAsync(http, product, location, CancellationToken.None);
            Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
            pool.Add((await reserved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var turn = 0;
        // 201 the first time a reservation is paid for, 409 after that (it has a live payment, or it expired: 20 s here).
        IReadOnlyList<Probe> probes =
        [
            new("POST /api/payments/ (create, for a reservation made before)",
                (client, ct) => shop.PayAsync(client, pool[Interlocked.Increment(ref turn) % pool.Count], ct), HttpStatusCode.Conflict),
            shop.EveryService().Single(p => p.Name == List),
        ];
        TimeSpan? recovered = null;
        var figures = await _outage.RunAsync("Inventory stopped (SIGTERM, drained), then started", [], probes,
            () => fixture.Stack.DevAsync("stop", "inventory"),
            async () =>
            {
                await fixture.Stack.DevAsync("start", "inventory");
                recovered = await Poll.TimeUntilAsync(async () =>
                {
                    using var reserved = await shop.ReserveAsync(http, product, location, CancellationToken.None);
                    if (reserved.StatusCode != HttpStatusCode.Created)
                    {
                        return false;
                    }

                    var reservation = (await reserved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                    using var paid = await shop.PayAsync(http, reservation, CancellationToken.None);
                    return paid.StatusCode == HttpStatusCode.Created;
                }, TimeSpan.FromSeconds(20));
            });

        output.WriteLine($"  a new payment was created {(recovered is { } r ? $"{r.TotalSeconds:0.0} s" : "NOT within 20 s")} after inventory was ready again");
        Outage.AssertAnsweredFastAndHonestly(figures, probes);
        Outage.AssertRefusedDuringOutage(figures, probes[0].Name);
        Assert.True(recovered is not null, "payment creation did not recover once inventory was back");
    }
}
