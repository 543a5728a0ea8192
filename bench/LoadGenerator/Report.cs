using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LoadGenerator;

/// <summary>A figure the issue sets, what was measured, and whether it was reached.</summary>
public sealed record Target(string Scenario, string Figure, string Measured, bool Met)
{
    /// <summary>A fixed rate's figure: the rate kept (98 % of it), p99 under <paramref name="p99Ms"/>, no errors.</summary>
    public static Target AtRate(string scenario, string figure, RunResult run, double p99Ms) =>
        new(scenario, figure,
            string.Create(CultureInfo.InvariantCulture,
                $"{run.PerSecond:N0}/s, p50 {run.P50Ms:N0} / p90 {run.P90Ms:N0} / p99 {run.P99Ms:N0} / max {run.MaxMs:N0} ms, {run.Errors} errors"),
            run.PerSecond >= run.TargetRate!.Value * 0.98 && run.P99Ms < p99Ms && run.Errors == 0);
}

/// <summary>
/// A throughput ratio measured in interleaved pairs (each pair's measured run over its reference run): the median, with
/// the lowest and highest beside it. A pair whose reference answered nothing (a smoke run's 1 s on a busy machine) has
/// no ratio.
/// </summary>
public sealed record PairedRatio(double Median, double Lowest, double Highest, int Pairs)
{
    public static PairedRatio? Of(IReadOnlyList<RunResult> runs, int pairs, Func<int, string> measured, Func<int, string> reference)
    {
        var ratios = Enumerable.Range(1, pairs)
            .Select(pair => (Measured: runs.Single(r => r.Mode == measured(pair)), Reference: runs.Single(r => r.Mode == reference(pair))))
            .Where(pair => pair.Reference.PerSecond > 0)
            .Select(pair => pair.Measured.PerSecond / pair.Reference.PerSecond)
            .ToList();
        return ratios.Count == 0 ? null : new PairedRatio(Statistics.Median(ratios), ratios.Min(), ratios.Max(), ratios.Count);
    }

    public string Describe(string format) => string.Create(CultureInfo.InvariantCulture,
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} (median of {Pairs} interleaved pairs; "
        + $"{Lowest.ToString(format, CultureInfo.InvariantCulture)} to {Highest.ToString(format, CultureInfo.InvariantCulture)})");
}

/// <summary>The report: per scenario and run the rate, latency percentiles, errors and each process's peak RSS and CPU.</summary>
public sealed class Report(BenchSettings settings, List<ScenarioResult> results, bool stockConstraintsHold)
{
    private const double ReadRate = 1000;
    private const double ReadP99Ms = 50;
    private const double MaxRssMb = 256;
    private const double MaxReadySeconds = 5;
    private const double FlashSaleP99Ms = 500;
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // Watched for their CPU, but not what the memory figure is about: the bare baseline, and the telemetry viewer standing
    // in for the collector, which on AWS is a sidecar with memory of its own.
    private static readonly string[] NotOurs = ["baseline", "viewer"];

    public long ErrorCount => results.Sum(r => r.Runs.Sum(run => run.Errors));

    public bool StockIsRight => stockConstraintsHold && results.All(r => r.Check is null or { Held: true });

    public bool AllRan => results.All(r => r.Ran);

    public List<Target> Targets()
    {
        var targets = new List<Target>();
        foreach (var result in results.Where(r => r.Scenario.Kind == ScenarioKind.Read && r.Ran))
        {
            var name = result.Scenario.Name;
            var atRate = result.Runs.First(r => r.TargetRate == ReadRate * settings.RateScale);
            targets.Add(new(name, $"{ReadRate:0}/s with p99 < {ReadP99Ms} ms, no errors",
                $"{atRate.PerSecond:N0}/s, p99 {atRate.P99Ms:N1} ms, {atRate.Errors} errors",
                atRate.PerSecond >= atRate.TargetRate!.Value * 0.98 && atRate.P99Ms < ReadP99Ms && atRate.Errors == 0));
            var ratio = BaselineRatio(result);
            var share = result.Scenario.BaselineShare;
            targets.Add(new(name, $"most ≥ {share:P0} of the baseline's",
                ratio is null ? "the baseline answered nothing" : $"{ratio.Describe("P0")}; {MedianPerSecond(result, LoadRunner.MostMode):N0} / "
                    + $"{MedianPerSecond(result, LoadRunner.BaselineMode):N0} per s",
                ratio?.Median >= share));
        }

        AddRateTarget(targets, "nearby stores (PostGIS)", 500, 25);
        AddRateTarget(targets, "reservation create + release", 300, 100);
        AddFlashSaleTarget(targets);
        targets.AddRange(results.SelectMany(r => r.Figures));
        foreach (var (process, peak) in PeakRss())
        {
            targets.Add(new($"process {process}", $"peak RSS < {MaxRssMb:0} MB", $"{peak:N0} MB", peak < MaxRssMb));
        }

        foreach (var (service, seconds) in settings.ReadySeconds)
        {
            targets.Add(new($"process {service}", $"ready within {MaxReadySeconds:0} s of starting", $"{seconds:N2} s", seconds <= MaxReadySeconds));
        }

        return targets;
    }

    public string Summary()
    {
        var targets = Targets();
        return $"{results.Count} scenarios, {ErrorCount} errors, stock and payments {(StockIsRight ? "right" : "WRONG")}; "
            + $"{targets.Count(t => t.Met)} of {targets.Count} figures met";
    }

    public async Task<(string Markdown, string Json)> WriteAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (settings.Smoke ? "-smoke" : ""));
        await File.WriteAllTextAsync(stem + ".md", Markdown());
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(new
        {
            date = DateTime.UtcNow,
            smoke = settings.Smoke,
            machine = Machine(),
            dataSet = settings.Size,
            flashSale = settings.FlashSale,
            warmupSeconds = settings.Warmup.TotalSeconds,
            durationSeconds = settings.Duration.TotalSeconds,
            readySeconds = settings.ReadySeconds,
            errors = ErrorCount,
            stockIsRight = StockIsRight,
            scenarios = results.Select(r => new
            {
                name = r.Scenario.Name,
                service = r.Scenario.Service,
                kind = r.Scenario.Kind.ToString().ToLowerInvariant(),
                concurrency = r.Scenario.Concurrency,
                baselineRatio = BaselineRatio(r),
                check = r.Check is { } check ? new { held = check.Held, description = check.Description } : null,
                runs = r.Runs,
            }),
            targets = Targets(),
        }, JsonOptions));
        return (stem + ".md", stem + ".json");
    }

    private void AddRateTarget(List<Target> targets, string scenario, double rate, double p99Ms)
    {
        var run = results.FirstOrDefault(r => r.Scenario.Name == scenario)?.Runs.FirstOrDefault(r => r.TargetRate == rate * settings.RateScale);
        if (run is not null)
        {
            targets.Add(new(scenario, $"{rate:0}/s with p99 < {p99Ms} ms", $"{run.PerSecond:N0}/s, p99 {run.P99Ms:N1} ms, {run.Errors} errors",
                run.PerSecond >= run.TargetRate!.Value * 0.98 && run.P99Ms < p99Ms && run.Errors == 0));
        }
    }

    private void AddFlashSaleTarget(List<Target> targets)
    {
        if (results.FirstOrDefault(r => r.Scenario.Kind == ScenarioKind.Race) is { Runs: [var race], Check: { } check } result)
        {
            var size = settings.FlashSale;
            targets.Add(new(result.Scenario.Name,
                $"{size}: exactly {size.Units:N0} reserved, every other answer 409, p99 < {FlashSaleP99Ms:0} ms, no 5xx, stock exact",
                $"{check.Description}; p50 {race.P50Ms:N0} ms, p99 {race.P99Ms:N0} ms, max {race.MaxMs:N0} ms",
                check.Held && race.Errors == 0 && race.P99Ms < FlashSaleP99Ms));
        }
    }

    // A read path's most over its baseline's, pair by pair; none for the other scenarios.
    private static PairedRatio? BaselineRatio(ScenarioResult result) =>
        result.Scenario.Paths is null ? null : PairedRatio.Of(result.Runs, LoadRunner.BaselinePairs, LoadRunner.MostMode, LoadRunner.BaselineMode);

    private static double MedianPerSecond(ScenarioResult result, Func<int, string> mode) =>
        Statistics.Median(Enumerable.Range(1, LoadRunner.BaselinePairs).Select(pair => result.Runs.Single(r => r.Mode == mode(pair)).PerSecond));

    private Dictionary<string, double> PeakRss() =>
        settings.Processes.Keys.Where(p => !NotOurs.Contains(p))
            .ToDictionary(p => p, p => results.SelectMany(r => r.Runs)
                .Select(run => run.Processes.TryGetValue(p, out var usage) ? usage.PeakRssMb : 0).DefaultIfEmpty().Max());

    private string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(settings.Smoke ? " (smoke run)" : "")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}; the load generator runs on the same machine.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Data set: {settings.Size}; the flash sale: {settings.FlashSale}.");
        text.Append(CultureInfo.InvariantCulture, $"- Each run: {settings.Duration.TotalSeconds:0} s after a {settings.Warmup.TotalSeconds:0.#} s warm-up. ");
        text.AppendLine("\"most\": a fixed number of connections, each sending as soon as its last answer came (wrk for the read paths and "
            + "their baselines); \"N/s\": units started on schedule by the C# generator, latency counted from when each was due. "
            + "A unit is one request, except: reservation = create + release, checkout = list, product, stock, nearby, reserve, pay; "
            + "the flash sale is one race, each customer's reservation sent when due at the arrival rate, latency from when it was due; "
            + "under a failing Stripe, a create is every attempt with its key until 201. Payments are spread over many customers, "
            + $"each paying at most {Payers.PaymentsPerCustomer} times, as the card-testing limits expect.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Result: {Summary()}.");
        text.AppendLine();
        text.AppendLine("## Figures");
        text.AppendLine();
        text.AppendLine("| scenario | figure | measured | met |");
        text.AppendLine("|---|---|---|---|");
        foreach (var target in Targets())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {target.Scenario} | {target.Figure} | {target.Measured} | {(target.Met ? "yes" : "**no**")} |");
        }

        text.AppendLine();
        text.AppendLine("## Scenarios");
        foreach (var result in results)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"### {result.Scenario.Name}");
            text.AppendLine();
            var ratio = BaselineRatio(result);
            if (result.Scenario.Run is null)
            {
                text.Append(CultureInfo.InvariantCulture, $"Target: {result.Scenario.Target}; {result.Scenario.Concurrency} workers at most");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"Target: {result.Scenario.Target}; runs of its own (several loads at once, a fault set for it, or a process started for it), named below");
            }

            text.AppendLine(ratio is null ? "." : $"; **{ratio.Describe("P0")} of the baseline's throughput**.");
            if (result.Check is { } check)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"Check: {check.Description}.");
            }

            text.AppendLine();
            var processes = settings.Processes.Keys.ToList();
            text.AppendLine("| run | units/s | p50 ms | p90 ms | p99 ms | max ms | errors | "
                + string.Join(" | ", processes.Select(p => $"{p} RSS MB / CPU %")) + " |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|" + string.Concat(processes.Select(_ => "---:|")));
            foreach (var run in result.Runs)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {run.Mode} | {run.PerSecond:N0} | {run.P50Ms:N2} | {run.P90Ms:N2} | {run.P99Ms:N2} | {run.MaxMs:N1} | {run.Errors} | ");
                text.AppendLine(string.Join(" | ", processes.Select(p => run.Processes.TryGetValue(p, out var u)
                    ? string.Create(CultureInfo.InvariantCulture, $"{u.PeakRssMb:N0} / {u.CpuPercent:N0}") : "")) + " |");
            }
        }

        // What was found about the figures missed, written after looking into them (./dev runs from the repository root).
        var analysis = Path.Combine("bench", "analysis.md");
        if (!settings.Smoke && File.Exists(analysis))
        {
            text.AppendLine();
            text.AppendLine(File.ReadAllText(analysis));
        }

        return text.ToString();
    }

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, "
        + System.Runtime.InteropServices.RuntimeInformation.OSDescription;
}
