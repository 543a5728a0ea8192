using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faults.Tests;

/// <summary>
/// Every service restarted instance by instance behind the load balancer, as an ECS rolling deploy does, while clients
/// keep calling all four: a new instance starts beside the old one and takes traffic, the old one drains and stops, and
/// then the same again for the other slot. Not one request may fail, and none may wait longer than an outage allows.
/// </summary>
public sealed class RollingRestartTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private const string ReserveAndRelease = "POST /api/inventory/reservations (then release)";

    // The services roll one after another, as separate deploys do. Rolled all at once, eight instances start and stop
    // together on the test machine's two cores, where on ECS each task brings its own: slowest answers then reached 7 s
    // and a reservation's wait for its customer's lock ran past the command timeout.
    [Fact]
    public async Task Rolling_restart_of_every_service_behind_the_load_balancer_fails_no_request()
    {
        var stack = fixture.Stack;
        var shop = fixture.Shop;
        IReadOnlyList<Probe> probes =
        [
            .. shop.EveryService(),
            new(ReserveAndRelease, async (http, ct) =>
            {
                var reserved = await shop.ReserveAsync(http, shop.Product, shop.Location, ct);
                if (!reserved.IsSuccessStatusCode)
                {
                    return reserved;
                }

                // The release is an answer too: a failed one counts as the probe's failure.
                var id = (await reserved.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
                var released = await http.SendAsync(shop.Authorized(HttpMethod.Post, $"/api/inventory/reservations/{id}/release"), ct);
                if (released.IsSuccessStatusCode)
                {
                    released.Dispose();
                    return reserved;
                }

                reserved.Dispose();
                return released;
            }),
        ];

        try
        {
            await using var load = Load.Start(stack.LoadBalancer, probes, clients: 4, maxRequests: int.MaxValue, maxTime: TimeSpan.FromSeconds(240));
            await Outage.WarmUpAsync(load, probes);
            var began = load.Now;
            var rolls = new List<string>();
            var lastRollBegan = began;
            foreach (var service in Stack.Services)
            {
                lastRollBegan = load.Now;
                rolls.Add(await RollAsync(service, load));
            }

            var answers = (await load.StopAsync()).Where(a => a.At >= began).ToList();
            Assert.True(answers.Any(a => a.At >= lastRollBegan), "the load stopped before the last service was rolled");

            var failed = answers.Where(a => !a.IsSuccess() || a.Seconds > Outage.SlowestAllowed.TotalSeconds).ToList();
            output.WriteLine($"Rolling restart of every service under load (from when the load was warm): {answers.Count} requests, "
                + $"{failed.Count} failed or slower than {Outage.SlowestAllowed.TotalSeconds} s");
            output.WriteLine(Report.Describe(answers));
            foreach (var roll in rolls)
            {
                output.WriteLine(roll);
            }

            Assert.True(failed.Count == 0, $"requests failed during the rolling restart:{Environment.NewLine}{Report.Describe(failed)}");
        }
        finally
        {
            await stack.RestoreAsync();
        }
    }

    /// <summary>Start a second instance, stop the first, start it again, stop the second: each step waits for the load balancer to see it.</summary>
    private async Task<string> RollAsync(string service, Load load)
    {
        var stack = fixture.Stack;
        var clock = Stopwatch.StartNew();
        var began = load.Now;
        await stack.DevAsync("start", service, "2");
        var second = await ServedByAsync(service, $"{service}2");
        await stack.DevAsync("stop", service);
        await stack.DevAsync("start", service);
        var first = await ServedByAsync(service, $"{service}1");
        await stack.DevAsync("stop", service, "2");
        return string.Create(CultureInfo.InvariantCulture,
            $"  {service}: rolled from +{began:0.0} s to +{load.Now:0.0} s ({clock.Elapsed.TotalSeconds:0.0} s); "
            + $"the new second instance took traffic {second:0.0} s after it was ready, the restarted first one {first:0.0} s");
    }

    /// <summary>Seconds until the load balancer sent a request of <paramref name="service"/> to <paramref name="server"/> (haproxy's X-Served-By).</summary>
    private async Task<double> ServedByAsync(string service, string server)
    {
        using var http = new HttpClient { BaseAddress = fixture.Stack.LoadBalancer, Timeout = TimeSpan.FromSeconds(5) };
        var took = await Poll.TimeUntilAsync(async () =>
        {
            using var response = await http.GetAsync($"/health/{service}/live");
            return response.Headers.TryGetValues("X-Served-By", out var servers) && servers.Contains(server);
        }, TimeSpan.FromSeconds(20));
        Assert.True(took is not null, $"the load balancer never sent {service} traffic to {server}");
        return took.Value.TotalSeconds;
    }
}
