using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using Stripe;

namespace LoadGenerator;

/// <summary>
/// Payments under a slow and a failing Stripe (the emulator's faults, set for the scenario and reset after it):
/// creates at a fixed rate while webhooks arrive at the same rate, the connections payments holds meanwhile, and every
/// create retried through Stripe's failures until it converges, with one PaymentIntent for each.
/// </summary>
public static class PaymentScenarios
{
    public const string SlowStripeName = "create payment + webhooks, Stripe at 400 ms";
    public const string FailingStripeName = "create payment, 5 % of Stripe calls failing";

    private const int StripeLatencyMs = 400;
    private const double CreateRate = 100;
    private const double WebhookRate = 100;
    private const double CreateP99Ms = 1_500;
    private const double WebhookP99Ms = 100;
    private const double StripeErrorRate = 0.05;
    private const double StripeTimeoutRate = 0.01;

    // A create that payments answers 503 is retried with its key, after Retry-After (at most this long), this many times.
    private static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(5);
    private const int MaxAttempts = 10;

    private static readonly TimeSpan HeadStart = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan IntentWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Creates at 100/s, each with a fresh key for a reservation a distinct customer made beforehand, against a Stripe
    /// that takes 400 ms a call; meanwhile signed <c>payment_intent.succeeded</c> webhooks for the intents made arrive at
    /// 100/s, and payments' PostgreSQL connections are counted every 100 ms.
    /// </summary>
    /// <remarks>
    /// The webhooks are signed here (as Stripe does: Stripe.net's <see cref="EventUtility.GenerateSignatureHeader"/> with
    /// the endpoint's secret) and posted straight to payments, rather than made by confirming at the emulator: the figure
    /// is how long payments takes to accept a delivery, and a confirm would add the emulator's 400 ms and its delivery
    /// queue's timing, which are not payments'. The events are for intents payments has just made, so each one moves a
    /// real payment to succeeded and sends the event on to inventory.
    /// </remarks>
    public static Scenario SlowStripe(BenchSettings settings, Payers payers, StripeEmulatorClient stripe)
    {
        var toPay = new ConcurrentQueue<Payer>();
        var created = Channel.CreateUnbounded<CreatedIntent>();
        var duration = settings.Stripe.SlowDuration;
        var createRate = CreateRate * settings.RateScale;
        var webhookRate = WebhookRate * settings.RateScale;
        // Creates at their rate, and the deliveries behind them, for one length of time. The deliveries start behind the
        // creates, so each is for an intent made (a create takes 400 ms and more): 2 s behind, about 150 intents ahead
        // of them at 100/s; 1 s in the 2 s smoke run.
        async Task<(RunResult Creates, RunResult Webhooks)> LoadAsync(TimeSpan length, Func<IReadOnlyDictionary<string, ProcessUsage>> usage)
        {
            using var client = LoadRunner.Client(settings.Urls["payments"], null);
            var creating = LoadRunner.OpenLoopAsync($"create {createRate:0}/s", client,
                (c, ct) => CreateAsync(c, toPay, created, ct), createRate, length, usage);
            await Task.Delay(length / 2 < HeadStart ? length / 2 : HeadStart);
            var delivering = LoadRunner.OpenLoopAsync($"webhook {webhookRate:0}/s", client,
                (c, ct) => DeliverAsync(c, created, settings.Stripe.WebhookSecret, ct), webhookRate, length, usage);
            return (await creating, await delivering);
        }

        return new Scenario(SlowStripeName, "payments", "payments", ScenarioKind.Write, (client, ct) => CreateAsync(client, toPay, created, ct), [CreateRate])
        {
            // The warm-up's creates too: like every other scenario it is measured warm, after the same load for a
            // while (a process that has never made a payment spends most of its first minute in the JIT).
            Prepare = async () => toPay = await payers.ReserveAsync((int)Math.Ceiling(createRate * (settings.Warmup + duration).TotalSeconds)),
            Run = async sampler =>
            {
                await using var connections = new ConnectionSampler(settings.Database("postgres"), "payments");
                await stripe.SetFaultsAsync(new StripeFaults(LatencyMs: StripeLatencyMs));
                RunResult creates, webhooks;
                ConnectionPeak held;
                try
                {
                    await LoadAsync(settings.Warmup, () => new Dictionary<string, ProcessUsage>());
                    connections.Start();
                    sampler.Start();
                    var usage = new Lazy<IReadOnlyDictionary<string, ProcessUsage>>(sampler.Stop);
                    (creates, webhooks) = await LoadAsync(duration, () => usage.Value);
                    held = await connections.StopAsync();
                }
                finally
                {
                    await stripe.ResetFaultsAsync();
                }

                var half = settings.PaymentsPoolSize / 2.0;
                return new CustomRun([creates, webhooks],
                [
                    Target.AtRate(SlowStripeName, $"create at {CreateRate:0}/s for {duration.TotalSeconds:0} s with p99 < {CreateP99Ms:N0} ms, no errors",
                        creates, CreateP99Ms),
                    Target.AtRate(SlowStripeName, $"webhooks at {WebhookRate:0}/s meanwhile with p99 < {WebhookP99Ms:0} ms, no errors", webhooks, WebhookP99Ms),
                    new(SlowStripeName, $"payments' PostgreSQL connections < half its pool ({settings.PaymentsPoolSize} / 2)",
                        $"peak {held.Peak} open ({held.AtStart} at the start), {held.PeakBusy} at once in a query or transaction, "
                        + $"{held.PeakIdleInTransaction} idle in a transaction (pg_stat_activity every 100 ms, {held.Samples} samples)",
                        held.Peak < half),
                ]);
            },
        };
    }

    /// <summary>
    /// Creates at 100/s while 5 % of Stripe's calls answer 500 and 1 % do the work but answer after payments' timeout;
    /// a create payments answers 503 is retried with its key after Retry-After until it is created. Afterwards each
    /// payment has one PaymentIntent at Stripe and each reservation one payment.
    /// </summary>
    public static Scenario FailingStripe(BenchSettings settings, Payers payers, StripeEmulatorClient stripe)
    {
        var toPay = new ConcurrentQueue<Payer>();
        var outcomes = new ConcurrentBag<Convergence>();
        var duration = settings.Stripe.FaultsDuration;
        var rate = CreateRate * settings.RateScale;
        var units = (int)Math.Ceiling(rate * duration.TotalSeconds);
        (bool Held, string Description) check = (false, "not run");
        return new Scenario(FailingStripeName, "payments", "payments", ScenarioKind.Write,
            (client, ct) => ConvergeAsync(client, toPay, outcomes, ct), [CreateRate])
        {
            Prepare = async () => toPay = await payers.ReserveAsync(units),
            Run = async sampler =>
            {
                using var client = LoadRunner.Client(settings.Urls["payments"], null);
                await stripe.SetFaultsAsync(new StripeFaults(
                    LatencyMs: StripeLatencyMs, ErrorRate: StripeErrorRate, TimeoutRate: StripeTimeoutRate,
                    TimeoutMs: (int)(settings.Stripe.PaymentsTimeout + TimeSpan.FromSeconds(1)).TotalMilliseconds));
                RunResult run;
                try
                {
                    sampler.Start();
                    run = await LoadRunner.OpenLoopAsync($"converge {rate:0}/s", client,
                        (c, ct) => ConvergeAsync(c, toPay, outcomes, ct), rate, duration, sampler.Stop);
                }
                finally
                {
                    await stripe.ResetFaultsAsync();
                }

                var (intentsRight, intentsMeasured) = await OneIntentPerKeyAsync(settings, stripe, outcomes);
                var converged = outcomes.Count(o => o.PaymentId is not null);
                var retried = outcomes.Count(o => o.Attempts > 1);
                check = (converged == units && intentsRight, $"{converged} of {units} creates converged through Stripe's failures; {intentsMeasured}");
                return new CustomRun([run],
                [
                    new(FailingStripeName, "every create converges (retried with its key after Retry-After)",
                        $"{converged} of {units} ({retried} needed a retry, at most {(outcomes.IsEmpty ? 0 : outcomes.Max(o => o.Attempts))} attempts; "
                        + $"p99 {run.P99Ms:N0} ms to 201)",
                        converged == units),
                    new(FailingStripeName, "one PaymentIntent per key, one payment per reservation", intentsMeasured, intentsRight),
                ]);
            },
            Verify = () => Task.FromResult(check),
        };
    }

    private sealed record CreatedIntent(string IntentId, Guid PaymentId, long AmountCents, string Currency);

    private sealed record Convergence(Guid ReservationId, Guid? PaymentId, int Attempts);

    private static async Task<bool> CreateAsync(
        HttpClient client, ConcurrentQueue<Payer> toPay, Channel<CreatedIntent> created, CancellationToken cancellationToken)
    {
        if (!toPay.TryDequeue(out var payer))
        {
            throw new NoMoreWorkException();
        }

        using var request = Payers.CreatePayment(payer, Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return false;
        }

        var payment = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var secret = payment.GetProperty("clientSecret").GetString()!;
        created.Writer.TryWrite(new CreatedIntent(
            secret[..secret.IndexOf("_secret_", StringComparison.Ordinal)], payment.GetProperty("id").GetGuid(),
            payment.GetProperty("amountCents").GetInt64(), payment.GetProperty("currency").GetString()!));
        return true;
    }

    // payment_intent.succeeded for the next intent made, signed as Stripe signs it, posted to payments' webhook. A delivery
    // due before any intent is waiting (the creates fell behind their head start) waits for the next one, and the wait
    // shows in its latency; one with none in 5 s (the creates failed) is a failed unit.
    private static async Task<bool> DeliverAsync(HttpClient client, Channel<CreatedIntent> created, string secret, CancellationToken cancellationToken)
    {
        CreatedIntent intent;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(IntentWait);
            try
            {
                intent = await created.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new NoMoreWorkException();
            }
        }

        var body = JsonSerializer.Serialize(new
        {
            id = $"evt_bench_{Guid.NewGuid():N}",
            @object = "event",
            api_version = StripeConfiguration.ApiVersion,
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            type = "payment_intent.succeeded",
            livemode = false,
            data = new
            {
                @object = new
                {
                    id = intent.IntentId,
                    @object = "payment_intent",
                    amount = intent.AmountCents,
                    amount_received = intent.AmountCents,
                    currency = intent.Currency.ToLowerInvariant(),
                    status = "succeeded",
                    metadata = new Dictionary<string, string> { ["payment_id"] = intent.PaymentId.ToString() },
                },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Stripe-Signature", EventUtility.GenerateSignatureHeader(body, secret));
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    // One create, with one key, until payments answers 201: a 503 (Stripe did not answer; nothing charged) or no answer
    // is retried with the same key after Retry-After; anything else is a create that did not converge.
    private static async Task<bool> ConvergeAsync(
        HttpClient client, ConcurrentQueue<Payer> toPay, ConcurrentBag<Convergence> outcomes, CancellationToken cancellationToken)
    {
        if (!toPay.TryDequeue(out var payer))
        {
            throw new NoMoreWorkException();
        }

        var key = Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            try
            {
                using var request = Payers.CreatePayment(payer, key);
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var payment = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    outcomes.Add(new Convergence(payer.ReservationId, payment.GetProperty("id").GetGuid(), attempt));
                    return true;
                }

                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    Console.WriteLine(
                        $"    a create with a retried key ended {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    outcomes.Add(new Convergence(payer.ReservationId, null, attempt));
                    return false;
                }

                wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            }
            catch (HttpRequestException)
            {
                wait = TimeSpan.FromSeconds(1);
            }

            if (attempt == MaxAttempts)
            {
                outcomes.Add(new Convergence(payer.ReservationId, null, attempt));
                return false;
            }

            await Task.Delay(wait < MaxRetryWait ? wait : MaxRetryWait, cancellationToken);
        }
    }

    /// <summary>Each converged payment has exactly one PaymentIntent at the emulator, and each reservation exactly one payment row.</summary>
    private static async Task<(bool Right, string Measured)> OneIntentPerKeyAsync(
        BenchSettings settings, StripeEmulatorClient stripe, IEnumerable<Convergence> outcomes)
    {
        var converged = outcomes.Where(o => o.PaymentId is not null).ToList();
        var intents = await stripe.IntentsPerPaymentAsync();
        var intentCounts = converged.Select(o => intents.GetValueOrDefault(o.PaymentId!.Value.ToString())).ToList();

        await using var source = NpgsqlDataSource.Create(settings.Database("payments"));
        await using var command = source.CreateCommand("SELECT count(*) FROM payments WHERE reservation_id = ANY(@ids) GROUP BY reservation_id");
        command.Parameters.AddWithValue("ids", outcomes.Select(o => o.ReservationId).ToArray());
        var rowCounts = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rowCounts.Add(reader.GetInt64(0));
            }
        }

        var reservations = outcomes.Select(o => o.ReservationId).Distinct().Count();
        var right = intentCounts.All(n => n == 1) && rowCounts.Count == reservations && rowCounts.All(n => n == 1);
        return (right, string.Create(CultureInfo.InvariantCulture,
            $"intents per payment: {Spread(intentCounts.Select(n => (long)n))} over {intentCounts.Count} payments; "
            + $"payments per reservation: {Spread(rowCounts)} over {rowCounts.Count} of {reservations} reservations"));
    }

    private static string Spread(IEnumerable<long> counts) =>
        counts.ToList() is { Count: > 0 } list ? (list.Min() == list.Max() ? $"all {list[0]}" : $"{list.Min()} to {list.Max()}") : "none";
}
