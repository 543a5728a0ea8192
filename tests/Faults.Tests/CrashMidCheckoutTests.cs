using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faults.Tests;

/// <summary>
/// kill -9 of payments, and of inventory, with many checkouts in flight (reserve → pay → confirm at the Stripe
/// emulator, which sends the webhook), then a restart. Whatever answers the clients got while it was down, the
/// databases must end up agreeing with Stripe: nothing lost, nothing done twice.
/// </summary>
public sealed class CrashMidCheckoutTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    private static readonly string[] Captured = ["succeeded", "partially_refunded", "refunded"];

    [Theory]
    [InlineData("payments", 40)]
    [InlineData("inventory", 60)]
    public async Task Kill_9_mid_checkout_loses_and_duplicates_nothing_once_restarted(string service, int stockRowsFrom)
    {
        var stack = fixture.Stack;
        var ledgers = new Ledgers(stack);
        // Stock rows of this scenario's own, so its stock arithmetic is not disturbed by another's late events.
        var rows = await Shop.StockedAsync(stack, 12, stockRowsFrom);
        var before = await ledgers.StockAsync(rows);
        var checkouts = new Checkouts(fixture.Shop, stack.LoadBalancer, rows);
        try
        {
            var clock = Stopwatch.StartNew();
            checkouts.Start(clients: 6);
            await Poll.UntilAsync(() => Task.FromResult(checkouts.Confirmed.Count >= 5), TimeSpan.FromSeconds(60), "checkouts reaching Stripe before the kill");
            var killedAt = clock.Elapsed.TotalSeconds;
            await stack.DevAsync("kill", service);
            var confirmedAtKill = checkouts.Confirmed.Count;
            await Task.Delay(TimeSpan.FromSeconds(3)); // checkouts keep arriving at a dead process: that is the scenario
            var restart = Stopwatch.StartNew();
            await stack.DevAsync("start", service);
            var restarted = restart.Elapsed.TotalSeconds;
            // Checkouts through the restarted service, if they get there in time: the invariants are checked either way.
            var flowing = await Poll.TimeUntilAsync(() => Task.FromResult(checkouts.Confirmed.Count >= confirmedAtKill + 5), TimeSpan.FromSeconds(45));
            await checkouts.StopAsync();

            var violations = new List<string>();
            var converged = await Poll.TimeUntilAsync(async () =>
            {
                violations = await ViolationsAsync(ledgers, checkouts, rows, before);
                return violations.Count == 0;
            }, Convergence);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kill -9 of {service} at +{killedAt:0.0} s mid-checkout, ready again {restarted:0.0} s after its restart began; "
                + $"checkouts confirmed at Stripe again {(flowing is { } f ? $"{f.TotalSeconds:0.0} s" : "not within 45 s")} after that"));
            output.WriteLine(checkouts.Describe());
            output.WriteLine(Report.Describe(checkouts.Answers));
            output.WriteLine(converged is { } c
                ? $"  the databases agreed with Stripe {c.TotalSeconds:0.0} s after the load stopped"
                : $"  still wrong after {Convergence.TotalSeconds} s:{Environment.NewLine}"
                    + $"    {string.Join($"{Environment.NewLine}    ", violations.Take(20))}");
            Assert.True(converged is not null,
                $"after kill -9 of {service}: {violations.Count} broken invariants, e.g. {string.Join("; ", violations.Take(5))}");
        }
        finally
        {
            await checkouts.StopAsync();
            await stack.RestoreAsync();
        }
    }

    /// <summary>Everything that is wrong, checked in the databases against Stripe's word; empty when the crash left nothing behind.</summary>
    private static async Task<List<string>> ViolationsAsync(
        Ledgers ledgers, Checkouts checkouts, List<(Guid Product, Guid Location)> rows, Dictionary<(Guid, Guid), (int OnHand, int Reserved)> before)
    {
        var violations = new List<string>();
        var intents = await checkouts.SucceededIntentsAsync();
        var payments = await ledgers.PaymentsByIntentAsync(intents);
        var reservations = await ledgers.ReservationsAsync(checkouts.Reservations.Keys.ToList());

        // Every intent Stripe took the money for has exactly one payment, captured, and its reservation committed to it
        // (or, when the reservation expired and its stock went meanwhile, refunded in full: the documented way out).
        foreach (var intent in intents)
        {
            if (!payments.TryGetValue(intent, out var payment))
            {
                violations.Add($"Stripe captured {intent} but payments has no row for it");
                continue;
            }

            if (!Captured.Contains(payment.Status))
            {
                violations.Add($"Stripe captured {intent} but payment {payment.Id} says {payment.Status}");
            }

            var reservation = reservations.GetValueOrDefault(payment.ReservationId);
            var committedToIt = reservation is { Status: "Committed" } && reservation.PaymentId == payment.Id;
            var refunded = payment.Status == "refunded" && reservation is { Status: "Released" };
            if (!committedToIt && !refunded)
            {
                violations.Add($"payment {payment.Id} ({payment.Status}) for {intent}: "
                    + $"its reservation {payment.ReservationId} is {reservation?.Status ?? "missing"} (payment {reservation?.PaymentId})");
            }
        }

        // No reservation committed without a captured payment (any reservation, not only this scenario's).
        var committed = await ledgers.CommittedReservationsAsync();
        var theirPayments = await ledgers.PaymentsByIdAsync(committed.Where(r => r.PaymentId is not null).Select(r => r.PaymentId!.Value).ToList());
        foreach (var reservation in committed)
        {
            if (reservation.PaymentId is not { } paymentId
                || !theirPayments.TryGetValue(paymentId, out var payment)
                || !Captured.Contains(payment.Status)
                || payment.ReservationId != reservation.Id)
            {
                violations.Add($"reservation {reservation.Id} is committed without a captured payment of its own");
            }
        }

        // Committed exactly once: the shelf lost exactly what was committed, and reserved is what pending reservations hold.
        var now = await ledgers.StockAsync(rows);
        foreach (var row in rows)
        {
            var sold = checkouts.Reservations.Count(r => r.Value == row && reservations.GetValueOrDefault(r.Key) is { Status: "Committed" });
            if (before[row].OnHand - now[row].OnHand != sold)
            {
                violations.Add(
                    $"stock {row.Product} at {row.Location}: on hand went from {before[row].OnHand} to {now[row].OnHand}, but {sold} units were committed");
            }
        }

        violations.AddRange(await ledgers.ReservedMismatchesAsync());
        violations.AddRange(await ledgers.DuplicatedEventsAsync());
        violations.AddRange(await ledgers.UndeliveredEventsAsync(payments.Values.Select(p => p.Id).ToList()));
        return violations;
    }

    /// <summary>Concurrent clients each doing checkouts of one unit, one after another, and what came of each step.</summary>
    private sealed class Checkouts(Shop shop, Uri loadBalancer, List<(Guid Product, Guid Location)> rows)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<Answer> _answers = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private Task[] _clients = [];
        private int _started;

        public ConcurrentDictionary<Guid, (Guid Product, Guid Location)> Reservations { get; } = new();

        /// <summary>The PaymentIntents the customer confirmed (whatever the confirmation answered).</summary>
        public ConcurrentBag<string> Confirmed { get; } = [];

        public IReadOnlyList<Answer> Answers => [.. _answers];

        public void Start(int clients) =>
            _clients = Enumerable.Range(0, clients).Select(client => Task.Run(() => RunAsync(client))).ToArray();

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_clients);
        }

        /// <summary>The confirmed intents Stripe says it captured.</summary>
        public async Task<List<string>> SucceededIntentsAsync()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var succeeded = new List<string>();
            foreach (var intent in Confirmed.Distinct())
            {
                if (await shop.IntentStatusAsync(http, intent, CancellationToken.None) == "succeeded")
                {
                    succeeded.Add(intent);
                }
            }

            return succeeded;
        }

        public string Describe() =>
            $"  {_started} checkouts started by 6 clients: {Reservations.Count} reservations made, "
            + $"{Answers.Count(a => a.Probe == "pay" && a.Status == 201)} payments created, {Confirmed.Count} confirmed at Stripe";

        private async Task RunAsync(int client)
        {
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
            {
                BaseAddress = loadBalancer,
                Timeout = TimeSpan.FromSeconds(20),
            };
            for (var turn = client; !_stop.IsCancellationRequested && turn < 10_000; turn += 6)
            {
                Interlocked.Increment(ref _started);
                try
                {
                    await CheckoutAsync(http, rows[turn % rows.Count]);
                }
                catch (HttpRequestException)
                {
                    // recorded by StepAsync, or a confirmation the emulator could not finish: the invariants decide
                }
                catch (TaskCanceledException)
                {
                    // likewise
                }

                await Task.Delay(20); // steady, not flat out, even while every step fails fast
            }
        }

        private async Task CheckoutAsync(HttpClient http, (Guid Product, Guid Location) row)
        {
            using var reserved = await StepAsync("reserve", () => shop.ReserveAsync(http, row.Product, row.Location, CancellationToken.None));
            if (reserved.StatusCode != HttpStatusCode.Created)
            {
                return;
            }

            var reservation = (await reserved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            Reservations[reservation] = row;
            using var paid = await StepAsync("pay", () => shop.PayAsync(http, reservation, CancellationToken.None));
            if (paid.StatusCode != HttpStatusCode.Created)
            {
                return;
            }

            var intent = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!.Split("_secret_")[0];
            Confirmed.Add(intent);
            var started = _clock.Elapsed.TotalSeconds;
            var confirmed = await shop.ConfirmAsync(http, intent, CancellationToken.None);
            _answers.Enqueue(new Answer("confirm at Stripe", started, (int)confirmed, _clock.Elapsed.TotalSeconds - started, false));
        }

        private async Task<HttpResponseMessage> StepAsync(string step, Func<Task<HttpResponseMessage>> send)
        {
            var started = _clock.Elapsed.TotalSeconds;
            try
            {
                var response = await send();
                _answers.Enqueue(Answer.Of(step, started, response, _clock.Elapsed.TotalSeconds - started));
                return response;
            }
            catch (HttpRequestException)
            {
                _answers.Enqueue(new Answer(step, started, 0, _clock.Elapsed.TotalSeconds - started, false));
                throw;
            }
        }
    }
}
