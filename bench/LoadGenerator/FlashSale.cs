using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace LoadGenerator;

/// <summary>How big the flash sale is: so many customers, each with a token of their own, for so many units, arriving at a rate.</summary>
public sealed record FlashSaleSize(int Customers, int Units, double ArrivalsPerSecond)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Customers:N0} customers for {Units:N0} units, arriving at {ArrivalsPerSecond:N0}/s");
}

/// <summary>
/// The flash sale: every customer, each with their own token, asks through the load balancer for one unit of one
/// product that one store has <see cref="FlashSaleSize.Units"/> of, all within a second or a few. Exactly that many must be
/// reserved; every other customer must be told 409 (not enough stock), quickly; nothing else may happen (no 5xx, no
/// per-customer limit in the way, since each asks for one; a busy inventory's 503 is asked again after its Retry-After); on
/// hand must stay as it was and reserved must be exactly the units. Then every reservation is released and reserved must
/// be back to zero.
/// </summary>
public static class FlashSale
{
    public const string Name = "flash sale";
    private const int LoginConcurrency = 4;
    private const int MaxRetries = 20;

    // The warm-up's customers at once, and the units of its product: fewer than them, so some are told 409 too.
    private const int RehearsalConcurrency = 16;
    private const int RehearsalUnits = 8;

    // The sale's own products (the one it is for, and the warm-up's) and store, apart from the rest of the data set.
    private static readonly Guid Product = Guid.Parse("f1a5f1a5-0000-4000-8000-000000000001");
    private static readonly Guid Store = Guid.Parse("f1a5f1a5-0000-4000-8000-000000000002");
    private static readonly Guid RehearsalProduct = Guid.Parse("f1a5f1a5-0000-4000-8000-000000000003");

    private sealed record Answer(HttpStatusCode Status, string? Title, Guid? ReservationId, long LatencyTicks);

    public static async Task<ScenarioResult> RunAsync(BenchSettings settings, ProcessSampler sampler)
    {
        var size = settings.FlashSale;
        await StockTheShelfAsync(settings, size.Units);
        Console.WriteLine($"    logging in {size.Customers:N0} customers");
        var tokens = await LogInAsync(settings, size.Customers);

        // A busy inventory's 503 is asked again after its Retry-After; the answer is the last one, its latency from when the first was due.
        using var client = new HttpClient(BusyRetry.Handler(MaxRetries,
            new SocketsHttpHandler { MaxConnectionsPerServer = 4096, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }))
        {
            BaseAddress = settings.Urls["load-balancer"],
            // Generous: a slow answer is measured, not turned into an error (the smoke run does not judge speed).
            Timeout = TimeSpan.FromMinutes(2),
        };

        Console.WriteLine($"    warming up for {settings.Warmup.TotalSeconds:0.#} s");
        await RehearseAsync(client, tokens, settings.Warmup);

        // The rush: customer i's request is due at i / rate seconds (all at once when the rate is past the customers),
        // sent then whatever the answers so far, and its latency counts from when it was due, so a queue shows.
        var interval = Stopwatch.Frequency / size.ArrivalsPerSecond;
        sampler.Start();
        var started = Stopwatch.GetTimestamp();
        var attempts = new List<Task<Answer>>(tokens.Count);
        while (attempts.Count < tokens.Count)
        {
            var due = Math.Min(tokens.Count, (int)((Stopwatch.GetTimestamp() - started) / interval) + 1);
            for (var i = attempts.Count; i < due; i++)
            {
                var (token, dueAt) = (tokens[i], started + (long)(i * interval));
                attempts.Add(Task.Run(() => ReserveAsync(client, token, Product, dueAt)));
            }

            if (attempts.Count < tokens.Count)
            {
                await Task.Delay(1);
            }
        }

        var answers = await Task.WhenAll(attempts);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var usage = sampler.Stop();
        var during = await StockAsync(settings);

        var created = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
        var shortOf = answers.Count(a => a.Status == HttpStatusCode.Conflict && a.Title == "Not enough stock");
        var other = answers.Where(a => a.Status != HttpStatusCode.Created && !(a.Status == HttpStatusCode.Conflict && a.Title == "Not enough stock"))
            .GroupBy(a => $"{(int)a.Status} {a.Title}").ToDictionary(g => g.Key, g => g.Count());

        Console.WriteLine($"    race over in {seconds:N1} s: {created.Count:N0} created, {shortOf:N0} not enough stock"
            + string.Concat(other.Select(o => $", {o.Value} × {o.Key}")) + $"; stock on hand {during.OnHand:N0}, reserved {during.Reserved:N0}");
        var released = 0;
        var owners = tokens.Zip(answers).Where(pair => pair.Second.ReservationId is not null).ToList();
        await Parallel.ForEachAsync(owners, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (owner, ct) =>
        {
            if (await ReleaseAsync(client, owner.First, owner.Second.ReservationId!.Value, ct))
            {
                Interlocked.Increment(ref released);
            }
        });
        var after = await StockAsync(settings);

        var latencies = answers.Select(a => a.LatencyTicks).Order().ToList();
        double Percentile(double p) => latencies.Count == 0
            ? 0
            : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)] * 1000.0 / Stopwatch.Frequency;
        var errors = other.Values.Sum() + Math.Abs(created.Count - size.Units);
        var run = new RunResult("race", null, answers.Length - other.Values.Sum(), errors, seconds, answers.Length / seconds,
            Percentile(0.50), Percentile(0.90), Percentile(0.99), Percentile(1), usage);

        var exact = created.Count == size.Units && other.Count == 0 && during == (size.Units, size.Units) && after == (size.Units, 0)
            && released == created.Count;
        var description = $"{created.Count:N0} reserved of {size.Units:N0} units, {shortOf:N0} told 409 not enough stock"
            + (other.Count == 0 ? ", nothing else" : ", and also " + string.Join(", ", other.Select(o => $"{o.Value} × {o.Key}")))
            + $"; stock on hand {during.OnHand:N0}, reserved {during.Reserved:N0} after the race; {released:N0} released, "
            + $"then on hand {after.OnHand:N0}, reserved {after.Reserved:N0}"
            + (exact ? " (exact)" : " (NOT exact)");
        return new ScenarioResult(Scenario(settings), [run], (exact, description), []);
    }

    /// <summary>The race as the report names it: one run, every customer at once through the load balancer.</summary>
    public static Scenario Scenario(BenchSettings settings) =>
        new(Name, "load-balancer", "inventory", ScenarioKind.Race, (_, _) => Task.FromResult(true), [])
        {
            Concurrency = settings.FlashSale.Customers,
        };

    /// <summary>
    /// The warm-up every other scenario has (the JIT, the connection pool, the database driver's type mappings, all of
    /// which a process builds on first use): for <paramref name="length"/>, customers a few at a time reserve a unit of
    /// another product at the store and release it at once. The race then measures a store that was already running.
    /// </summary>
    private static async Task RehearseAsync(HttpClient client, List<string> tokens, TimeSpan length)
    {
        var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var next = -1;
        await Parallel.ForEachAsync(Enumerable.Range(0, RehearsalConcurrency), async (_, ct) =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var token = tokens[Interlocked.Increment(ref next) % tokens.Count];
                if ((await ReserveAsync(client, token, RehearsalProduct, Stopwatch.GetTimestamp())).ReservationId is { } made)
                {
                    await ReleaseAsync(client, token, made, ct);
                }
            }
        });
    }

    private static async Task<bool> ReleaseAsync(HttpClient client, string token, Guid reservation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/reservations/{reservation}/release");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false; // not released: the stock check says so
        }
    }

    private static async Task<Answer> ReserveAsync(HttpClient client, string token, Guid product, long dueAt)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/inventory/reservations")
            {
                Content = JsonContent.Create(new { locationId = Store, items = new[] { new { productId = product, quantity = 1 } } }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            var body = response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
            var latency = Stopwatch.GetTimestamp() - dueAt;
            return response.StatusCode == HttpStatusCode.Created
                ? new Answer(response.StatusCode, null, body.GetProperty("id").GetGuid(), latency)
                : new Answer(
                    response.StatusCode,
                    body.ValueKind == JsonValueKind.Object && body.TryGetProperty("title", out var title) ? title.GetString() : null,
                    null,
                    latency);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new Answer(0, exception.GetType().Name, null, Stopwatch.GetTimestamp() - dueAt);
        }
    }

    /// <summary>
    /// The sale's product with <paramref name="units"/> on hand at its store, the warm-up's with a few, and nothing held
    /// (what a run left pending is released).
    /// </summary>
    private static async Task StockTheShelfAsync(BenchSettings settings, int units)
    {
        await using var source = NpgsqlDataSource.Create(settings.Database("inventory"));
        await using var command = source.CreateCommand("""
            UPDATE reservations SET status = 'Released' WHERE status = 'Pending' AND location_id = @store;
            INSERT INTO products (id, sku, name, description, category, price_cents, currency, created_at, image_keys)
            VALUES (@product, 'BENCH-FLASH-SALE', 'Flash sale laptop', 'The one everybody wants', 'laptops', 49900, 'EUR', now(), '{}'),
                   (@rehearsal, 'BENCH-FLASH-SALE-WARM-UP', 'Flash sale warm-up', 'Reserved and released before the race', 'laptops', 100, 'EUR', now(), '{}')
            ON CONFLICT DO NOTHING;
            INSERT INTO stock (product_id, location_id, on_hand, reserved) VALUES (@product, @store, @units, 0), (@rehearsal, @store, @rehearsalUnits, 0)
            ON CONFLICT (product_id, location_id) DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = 0;
            """);
        command.Parameters.AddWithValue("product", Product);
        command.Parameters.AddWithValue("store", Store);
        command.Parameters.AddWithValue("units", units);
        command.Parameters.AddWithValue("rehearsal", RehearsalProduct);
        command.Parameters.AddWithValue("rehearsalUnits", RehearsalUnits);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(int OnHand, int Reserved)> StockAsync(BenchSettings settings)
    {
        await using var source = NpgsqlDataSource.Create(settings.Database("inventory"));
        await using var command = source.CreateCommand("SELECT on_hand, reserved FROM stock WHERE product_id = @product AND location_id = @store");
        command.Parameters.AddWithValue("product", Product);
        command.Parameters.AddWithValue("store", Store);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return ((int)reader["on_hand"], (int)reader["reserved"]);
    }

    /// <summary>Customers bench-1 … bench-N (bench-0 is the other scenarios' customer), each logged in through the API.</summary>
    private static async Task<List<string>> LogInAsync(BenchSettings settings, int customers)
    {
        using var client = new HttpClient { BaseAddress = settings.Urls["customers"] };
        var tokens = new string[customers];
        await Parallel.ForEachAsync(Enumerable.Range(0, customers), new ParallelOptions { MaxDegreeOfParallelism = LoginConcurrency }, async (i, ct) =>
        {
            using var response = await client.PostAsJsonAsync("/api/customers/login",
                new { email = $"bench-{i + 1}@bench.mycomputer.local", password = BenchData.Password }, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString()!;
        });
        return [.. tokens];
    }
}
