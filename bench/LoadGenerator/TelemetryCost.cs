using System.Globalization;

namespace LoadGenerator;

/// <summary>
/// What tracing and metrics cost: inventory twice more, one with OpenTelemetry off (<c>OTEL_SDK_DISABLED</c>) and one
/// with it on as on AWS (10 % of traces, metrics, both exported over OTLP to the local viewer standing in for the
/// collector), each at its most on the cached product read and on reservations, in three interleaved pairs so that a
/// noisy moment falls on both. The figure is the median of the three ratios, with their spread.
/// </summary>
public static class TelemetryCost
{
    public const string Name = "telemetry cost (inventory with OpenTelemetry on and off)";

    private const int Pairs = 3;
    private const double MaxCost = 0.05;

    public static Scenario Create(
        BenchSettings settings, IReadOnlyList<Guid> hot, Unit reserveAndRelease, Func<Task> prepareReservations, Func<Task<int>> releaseLeftOvers) =>
        new(Name, "inventory-traced", "inventory", ScenarioKind.Write, reserveAndRelease, [])
        {
            Prepare = prepareReservations,
            // A release a busy inventory refused during the runs is made now: the benchmark's stock check counts on it.
            Verify = async () => (true, $"{await releaseLeftOvers():N0} reservations left held by the runs released afterwards"),
            Run = async sampler =>
            {
                var paths = await Wrk.PathsFileAsync(Scenarios.CachedProductReads(hot));
                try
                {
                    var (off, on) = (settings.Urls["inventory-untraced"], settings.Urls["inventory-traced"]);
                    foreach (var target in new[] { off, on })
                    {
                        // Warm: the JIT, the cache, and the pools of both.
                        await Wrk.RunAsync(target, paths, null, 32, settings.Warmup);
                    }

                    using var offClient = LoadRunner.Client(off, null);
                    using var onClient = LoadRunner.Client(on, null);
                    await LoadRunner.MostAsync("warm-up", offClient, reserveAndRelease, 16, settings.Warmup, sampler);
                    await LoadRunner.MostAsync("warm-up", onClient, reserveAndRelease, 16, settings.Warmup, sampler);
                    var runs = new List<RunResult>();
                    for (var pair = 1; pair <= Pairs; pair++)
                    {
                        runs.AddRange(await LoadRunner.PairAsync(pair,
                            () => LoadRunner.WrkMostAsync($"read off #{pair}", off, paths, 32, settings.Duration, sampler),
                            () => LoadRunner.WrkMostAsync($"read on #{pair}", on, paths, 32, settings.Duration, sampler)));
                        runs.AddRange(await LoadRunner.PairAsync(pair,
                            () => LoadRunner.MostAsync($"reserve off #{pair}", offClient, reserveAndRelease, 16, settings.Duration, sampler),
                            () => LoadRunner.MostAsync($"reserve on #{pair}", onClient, reserveAndRelease, 16, settings.Duration, sampler)));
                    }

                    return new CustomRun(runs,
                        [Figure(runs, "read", "product by id (cache hit)"), CpuFigure(runs), Figure(runs, "reserve", "reservation create + release")]);
                }
                finally
                {
                    File.Delete(paths);
                }
            },
        };

    private static Target Figure(List<RunResult> runs, string kind, string path)
    {
        var ratio = PairedRatio.Of(runs, Pairs, pair => $"{kind} on #{pair}", pair => $"{kind} off #{pair}");
        return new Target(Name, $"{path}: tracing and metrics on cost < {MaxCost:P0} of its throughput",
            ratio is null ? "off answered nothing" : $"on / off = {ratio.Describe("P1")}",
            ratio is not null && 1 - ratio.Median < MaxCost);
    }

    /// <summary>
    /// Where the cached read's cost goes: the CPU each request takes in inventory itself, on over off, and apart from it
    /// the viewer's CPU per request served, which on AWS is the collector sidecar's and here comes out of the same two cores.
    /// </summary>
    private static Target CpuFigure(List<RunResult> runs)
    {
        static double MicrosecondsPerRequest(RunResult run, string process) =>
            run.Processes.TryGetValue(process, out var usage) && run.PerSecond > 0 ? usage.CpuPercent / 100 / run.PerSecond * 1e6 : 0;

        var pairs = Enumerable.Range(1, Pairs)
            .Select(pair => (On: runs.Single(r => r.Mode == $"read on #{pair}"), Off: runs.Single(r => r.Mode == $"read off #{pair}")))
            .Select(pair => (
                On: MicrosecondsPerRequest(pair.On, "inventory-traced"),
                Off: MicrosecondsPerRequest(pair.Off, "inventory-untraced"),
                Viewer: MicrosecondsPerRequest(pair.On, "viewer")))
            .Where(pair => pair is { On: > 0, Off: > 0 })
            .ToList();
        var figure = $"product by id (cache hit): inventory's own CPU per request with tracing and metrics on, < {1 + MaxCost:P0} of it off";
        if (pairs.Count == 0)
        {
            return new Target(Name, figure, "no CPU measured", false);
        }

        var ratio = Statistics.Median(pairs.Select(p => p.On / p.Off));
        var viewer = Statistics.Median(pairs.Select(p => p.Viewer));
        var viewerShare = viewer > 0 ? string.Create(CultureInfo.InvariantCulture, $"the viewer {viewer:N0} µs per request served") : "no viewer running";
        return new Target(Name, figure,
            string.Create(CultureInfo.InvariantCulture,
                $"on / off = {ratio:P1} (median of {pairs.Count} pairs; {pairs.Min(p => p.On / p.Off):P1} to {pairs.Max(p => p.On / p.Off):P1}): "
                + $"{Statistics.Median(pairs.Select(p => p.On)):N0} against {Statistics.Median(pairs.Select(p => p.Off)):N0} µs; {viewerShare}"),
            ratio - 1 < MaxCost);
    }
}
