using System.Globalization;

namespace LoadGenerator;

/// <summary>How big the data set is.</summary>
public sealed record DataSize(int Products, int StockLocations, int Stores, int Customers)
{
    public override string ToString() =>
        $"{Products:N0} products stocked at {StockLocations} locations, {Stores:N0} stores, {Customers:N0} customers";
}

/// <summary>
/// The Stripe emulator the stack's payments calls: its URL, the <c>sk_test_</c> key its control endpoints take, the
/// secret webhooks are signed with, how long the payments scenarios run, and payments' own timeout for one Stripe call.
/// </summary>
public sealed record StripeSettings(Uri Url, string SecretKey, string WebhookSecret, TimeSpan SlowDuration, TimeSpan FaultsDuration, TimeSpan PaymentsTimeout);

/// <summary>
/// Shell commands that start a new inventory process listening at <c>inventory-new</c>, as ./dev starts the others: as
/// <c>dotnet build</c> made it, and published with ReadyToRun as its image is.
/// </summary>
public sealed record NewTaskCommands(string Built, string ReadyToRun);

/// <summary>What ./dev bench passes in: where everything listens, the processes to watch, and how long to run.</summary>
public sealed record BenchSettings(
    bool Smoke,
    DataSize Size,
    FlashSaleSize FlashSale,
    IReadOnlyDictionary<string, Uri> Urls,
    IReadOnlyDictionary<string, int> Processes,
    IReadOnlyDictionary<string, double> ReadySeconds,
    string DatabaseConnection,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Concurrency,
    double RateScale,
    StripeSettings Stripe,
    int PaymentsPoolSize,
    NewTaskCommands NewInventory)
{
    // What the scenarios send to: each service directly, locations a second time in fallback mode, inventory three times
    // more (OpenTelemetry off, on and exporting, and a new task the benchmark starts), the baseline, the load balancer.
    private static readonly string[] Targets =
    [
        "inventory", "customers", "payments", "locations", "locations-fallback", "inventory-untraced", "inventory-traced", "inventory-new",
        "baseline", "load-balancer",
    ];

    public static BenchSettings FromEnvironment(bool smoke)
    {
        var urls = Targets.ToDictionary(name => name, name => new Uri(Require($"BENCH_{name.ToUpperInvariant().Replace('-', '_')}_URL")));
        var connection = $"Host={Require("DB_HOST")};Port={Require("DB_PORT")};Username={Require("DB_USER")};Password={Require("DB_PASSWORD")}";
        return new BenchSettings(
            smoke,
            // The flash sale's customers are bench-1 … bench-N, so the data set has at least one more.
            smoke ? new DataSize(200, 10, 2_000, 250) : new DataSize(10_000, 100, 100_000, 10_000),
            new FlashSaleSize(smoke ? 200 : 2_000, smoke ? 50 : 500,
                double.TryParse(Environment.GetEnvironmentVariable("BENCH_FLASH_SALE_RATE"), CultureInfo.InvariantCulture, out var rate)
                    ? rate
                    : smoke ? 200 : 1_000),
            urls,
            Pairs("BENCH_PIDS").ToDictionary(p => p.Key, p => int.Parse(p.Value, CultureInfo.InvariantCulture)),
            Pairs("BENCH_READY_SECONDS").ToDictionary(p => p.Key, p => double.Parse(p.Value, CultureInfo.InvariantCulture)),
            connection,
            // Under full load on two cores the JIT's background tiering takes seconds to reach the steady state.
            smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10),
            smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10),
            Concurrency: 32,
            // The smoke run checks that every scenario works, not how fast: a tenth of the rates.
            RateScale: smoke ? 0.1 : 1,
            new StripeSettings(
                new Uri(Require("BENCH_STRIPE_URL")), Require("BENCH_STRIPE_KEY"), Require("BENCH_STRIPE_WEBHOOK_SECRET"),
                // The payments scenarios' own lengths: a minute under a slow Stripe, and a tenth of it (a second or two) in the smoke run.
                SlowDuration: smoke ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(60),
                FaultsDuration: smoke ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(20),
                // Payments' STRIPE_TIMEOUT_SECONDS, which the services read from the same environment (2 s by default).
                PaymentsTimeout: TimeSpan.FromSeconds(Optional("STRIPE_TIMEOUT_SECONDS", 2))),
            // Payments' DB_POOL_SIZE, which the services read from the same environment (PostgresOptions: 50 by default).
            Optional("DB_POOL_SIZE", 50),
            new NewTaskCommands(Require("BENCH_INVENTORY_NEW_COMMAND"), Require("BENCH_INVENTORY_NEW_READY_TO_RUN_COMMAND")));
    }

    public string Database(string name) => $"{DatabaseConnection};Database={name}";

    private static int Optional(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set.");

    // name=value,name=value
    private static IEnumerable<KeyValuePair<string, string>> Pairs(string variable) =>
        (Environment.GetEnvironmentVariable(variable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => KeyValuePair.Create(pair[0], pair[1]));
}
