using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoadGenerator;

/// <summary>The benchmark's scenarios, over the loaded data set.</summary>
public static class Scenarios
{
    // Requests for a product by id go to 1,000 products, all cached before the measurement: the cache-hit path.
    private const int HotProducts = 1_000;
    private const int CataloguePages = 50;
    private const double SearchRadiusKm = 25;
    private const int Reservers = 64;
    private const double BareRequestShare = 0.9;
    private const double CachedShare = 0.85;

    public static async Task<List<Scenario>> CreateAsync(BenchSettings settings, BenchData data, Payers payers, StripeEmulatorClient stripe)
    {
        var token = await LogInAsync(settings, data);
        var hot = data.Products.Take(HotProducts).ToList();
        var toPay = new ConcurrentQueue<Payer>();
        var checkoutTokens = new ConcurrentQueue<string>();
        var reservers = new List<string>();
        var stockBefore = (OnHand: 0L, Reserved: 0L);
        var unreleased = new ConcurrentQueue<(string Token, Guid Id)>();

        // The customers reservations are made by, logged in once for every scenario that reserves.
        async Task LogInReserversAsync()
        {
            if (reservers.Count == 0)
            {
                reservers.AddRange(await payers.LogInAsync(settings.Smoke ? 8 : Reservers));
            }
        }

        return
        [
            // What the platform adds to every request, alone: the load balancer's health check does no work of its own.
            Read("bare request (/health)", "inventory", [1000], () => ("/health", "/health"), share: BareRequestShare),
            // The cached reads do little besides the platform's work, so they are held closer to the baseline.
            Read("product by id (cache hit)", "inventory", [1000], () => { var id = Pick(hot); return ($"/api/inventory/products/{id}", $"/products/{id}"); },
                prepare: () => WarmAsync(settings, hot.Select(id => ($"/api/inventory/products/{id}", $"/products/{id}"))), share: CachedShare),
            Read("product list page", "inventory", [1000],
                () => { var p = Page(); return ($"/api/inventory/products?page={p}&pageSize=20", $"/products?page={p}&pageSize=20"); },
                prepare: () => WarmAsync(settings, Enumerable.Range(1, CataloguePages)
                    .Select(p => ($"/api/inventory/products?page={p}&pageSize=20", $"/products?page={p}&pageSize=20"))), share: CachedShare),
            Read("product search page", "inventory", [1000],
                () => { var p = Page(); return ($"/api/inventory/products?search=laptop+{p}&pageSize=20", $"/products?search=laptop+{p}&pageSize=20"); },
                prepare: () => WarmAsync(settings, Enumerable.Range(1, CataloguePages)
                    .Select(p => ($"/api/inventory/products?search=laptop+{p}&pageSize=20", $"/products?search=laptop+{p}&pageSize=20"))),
                share: CachedShare),
            Read("stock for a product", "inventory", [1000],
                () => { var id = Pick(data.Products); return ($"/api/inventory/products/{id}/stock", $"/products/{id}/stock"); }),
            Read("nearby stores (PostGIS)", "locations", [500, 1000], () => { var q = Around(); return ($"/api/locations/nearby?{q}", $"/nearby?{q}"); }),
            Read("nearby stores (fallback)", "locations-fallback", [500, 1000],
                () => { var q = Around(); return ($"/api/locations/nearby?{q}", $"/nearby/fallback?{q}"); }),
            Read("store by id", "locations", [1000], () => { var id = Pick(data.Stores); return ($"/api/locations/{id}", $"/stores/{id}"); }),
            Read("GET /me", "customers", [1000], () => ("/api/customers/me", "/me"), token: token),
            // Bounded by PBKDF2 (ASP.NET Core's password hasher): reported, not held to the read figures.
            new("login", "customers", "customers", ScenarioKind.Write,
                (client, ct) => SucceedsAsync(
                    client.PostAsJsonAsync("/api/customers/login", new { email = data.CustomerEmail, password = BenchData.Password }, ct)),
                [20])
            {
                Concurrency = 4,
            },
            // Inventory makes one customer's reservations one at a time (a per-customer lock, for the holding limits),
            // so this load comes from many customers, as real traffic does, not from one account standing for them all.
            new("reservation create + release", "inventory", "inventory", ScenarioKind.Write,
                (client, ct) => ReserveAndReleaseAsync(client, data, Pick(reservers), unreleased, ct), [300])
            {
                Concurrency = 16,
                Prepare = async () =>
                {
                    await LogInReserversAsync();
                    stockBefore = await data.StockTotalsAsync();
                },
                // A release a busy inventory refused during the run is made now, so the stock must be exactly as before.
                Verify = async () =>
                {
                    var leftOver = unreleased.Count;
                    var releasedAfter = await ReleaseAsync(settings.Urls["inventory"], unreleased);
                    var after = await data.StockTotalsAsync();
                    var held = after == stockBefore;
                    return (held, $"stock on hand {stockBefore.OnHand:N0} → {after.OnHand:N0}, reserved {stockBefore.Reserved:N0} → {after.Reserved:N0} "
                        + (held ? "(every reservation released: exactly as before)" : "(NOT as before)")
                        + (leftOver > 0 ? $"; of {leftOver:N0} releases not made during the run, {releasedAfter:N0} were made afterwards" : ""));
                },
            },
            TelemetryCost.Create(settings, hot, (client, ct) => ReserveAndReleaseAsync(client, data, Pick(reservers), unreleased, ct),
                prepareReservations: LogInReserversAsync,
                releaseLeftOvers: () => ReleaseAsync(settings.Urls["inventory"], unreleased)),
            NewTaskWarmUp.Create(settings, hot),
            // Before the other payments scenarios, so the connections payments' pool opened for those (idle ones stay
            // open for minutes) are not counted as this one's.
            PaymentScenarios.SlowStripe(settings, payers, stripe),
            PaymentScenarios.FailingStripe(settings, payers, stripe),
            // Stripe answers at once here: what payments itself costs. Each payment pays a reservation made just before
            // its run by one of many customers; a run at its most ends early if it uses them all.
            new("create payment (fresh idempotency key)", "payments", "payments", ScenarioKind.Write,
                (client, ct) => PayAsync(client, toPay, ct), [100])
            {
                Concurrency = 16,
                ClosedLoopUnits = settings.Smoke ? 40 : 4_000,
                PrepareRun = async units => Refill(toPay, await payers.ReserveAsync(units)),
            },
            new("checkout through the load balancer", "load-balancer", "load-balancer", ScenarioKind.Mixed,
                (client, ct) => CheckoutAsync(client, data, hot, checkoutTokens, ct), [50])
            {
                AccessToken = token,
                Concurrency = 16,
                ClosedLoopUnits = settings.Smoke ? 40 : 2_500,
                PrepareRun = async units => Refill(checkoutTokens, await payers.TokensAsync(units)),
            },
            StorefrontScenarios.Pages(settings, data),
        ];
    }

    /// <summary>10,000 reads of the cached products, for wrk to pick from.</summary>
    public static IEnumerable<string> CachedProductReads(IReadOnlyList<Guid> hot) =>
        Enumerable.Range(0, 10_000).Select(i => $"/api/inventory/products/{hot[i % hot.Count]}");

    private static Scenario Read(
        string name, string service, double[] rates, NextPaths paths, Func<Task>? prepare = null, string? token = null,
        double share = Scenario.DefaultBaselineShare) =>
        new(name, service, service, ScenarioKind.Read, (client, ct) => OkAsync(client, paths().Service, ct), rates)
        {
            Paths = paths,
            Prepare = prepare,
            AccessToken = token,
            BaselineShare = share,
        };

    private static T Pick<T>(IReadOnlyList<T> items) => items[Random.Shared.Next(items.Count)];

    private static int Page() => Random.Shared.Next(1, CataloguePages + 1);

    // A point in the data set's box over Europe.
    private static string Around() => string.Create(CultureInfo.InvariantCulture,
        $"lat={36 + Random.Shared.NextDouble() * 24:F5}&lon={-10 + Random.Shared.NextDouble() * 40:F5}&radiusKm={SearchRadiusKm}");

    private static async Task<bool> OkAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static async Task<bool> SucceedsAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.IsSuccessStatusCode;
    }

    private static async Task<bool> ReserveAndReleaseAsync(
        HttpClient client, BenchData data, string token, ConcurrentQueue<(string Token, Guid Id)> unreleased, CancellationToken cancellationToken)
    {
        if (await Payers.ReserveAsync(client, data, token, cancellationToken) is not { } id)
        {
            return false;
        }

        if (await ReleasedAsync(client, token, id, cancellationToken))
        {
            return true;
        }

        unreleased.Enqueue((token, id));
        return false;
    }

    private static async Task<bool> ReleasedAsync(HttpClient client, string token, Guid id, CancellationToken cancellationToken)
    {
        using var release = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/reservations/{id}/release");
        release.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await SucceedsAsync(client.SendAsync(release, cancellationToken));
        }
        catch (Exception exception) when (exception is HttpRequestException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false; // no answer in time: released or not, it is made again after the run
        }
    }

    /// <summary>Releases what the run left held, each after Retry-After while inventory is still busy; how many were.</summary>
    private static async Task<int> ReleaseAsync(Uri inventory, ConcurrentQueue<(string Token, Guid Id)> unreleased)
    {
        using var client = new HttpClient(BusyRetry.Handler(10, new SocketsHttpHandler())) { BaseAddress = inventory };
        var released = 0;
        await Parallel.ForEachAsync(unreleased, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (reservation, ct) =>
        {
            if (await ReleasedAsync(client, reservation.Token, reservation.Id, ct))
            {
                Interlocked.Increment(ref released);
            }
        });
        unreleased.Clear();
        return released;
    }

    // Each payment pays a reservation made before its run; when they run out, the run ends there.
    private static async Task<bool> PayAsync(HttpClient client, ConcurrentQueue<Payer> payers, CancellationToken cancellationToken)
    {
        if (!payers.TryDequeue(out var payer))
        {
            throw new NoMoreWorkException();
        }

        using var request = Payers.CreatePayment(payer, Guid.NewGuid().ToString());
        return await SucceedsAsync(client.SendAsync(request, cancellationToken));
    }

    // What a run left unused is not carried over: its reservations may have expired.
    private static void Refill<T>(ConcurrentQueue<T> queue, IEnumerable<T> items)
    {
        queue.Clear();
        foreach (var item in items)
        {
            queue.Enqueue(item);
        }
    }

    // The customer's path through the ALB's stand-in: browse, look at a product and its stock, find a store, reserve, pay
    // (the browsing as one customer, the reservation and the payment as one of many, as the card-testing limits expect).
    private static async Task<bool> CheckoutAsync(
        HttpClient client, BenchData data, List<Guid> hot, ConcurrentQueue<string> payers, CancellationToken cancellationToken)
    {
        if (!payers.TryDequeue(out var payer))
        {
            throw new NoMoreWorkException();
        }

        var product = Pick(hot);
        if (!await OkAsync(client, $"/api/inventory/products?page={Page()}&pageSize=20", cancellationToken)
            || !await OkAsync(client, $"/api/inventory/products/{product}", cancellationToken)
            || !await OkAsync(client, $"/api/inventory/products/{product}/stock", cancellationToken)
            || !await OkAsync(client, $"/api/locations/nearby?{Around()}", cancellationToken))
        {
            return false;
        }

        if (await Payers.ReserveAsync(client, data, payer, cancellationToken) is not { } reservation)
        {
            return false;
        }

        using var request = Payers.CreatePayment(new Payer(payer, reservation), Guid.NewGuid().ToString());
        return await SucceedsAsync(client.SendAsync(request, cancellationToken));
    }

    private static async Task WarmAsync(BenchSettings settings, IEnumerable<(string Service, string Baseline)> paths)
    {
        using var service = new HttpClient { BaseAddress = settings.Urls["inventory"] };
        using var baseline = new HttpClient { BaseAddress = settings.Urls["baseline"] };
        foreach (var (servicePath, baselinePath) in paths)
        {
            (await service.GetAsync(servicePath)).EnsureSuccessStatusCode();
            (await baseline.GetAsync(baselinePath)).EnsureSuccessStatusCode();
        }
    }

    private static async Task<string> LogInAsync(BenchSettings settings, BenchData data)
    {
        // Right after the data set is loaded, customers may shed a request or two while Redis catches up.
        using var client = new HttpClient(BusyRetry.Handler(3, new SocketsHttpHandler())) { BaseAddress = settings.Urls["customers"] };
        var response = await client.PostAsJsonAsync("/api/customers/login", new { email = data.CustomerEmail, password = BenchData.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
