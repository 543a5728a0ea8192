using System.Diagnostics;
using System.Net.Http.Headers;

namespace LoadGenerator;

/// <summary>One measured run: what was asked, what was done, how long it took, what the processes used.</summary>
public sealed record RunResult(
    string Mode,
    double? TargetRate,
    long Units,
    long Errors,
    double Seconds,
    double PerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyDictionary<string, ProcessUsage> Processes);

public sealed record ScenarioResult(Scenario Scenario, List<RunResult> Runs, (bool Held, string Description)? Check, IReadOnlyList<Target> Figures)
{
    /// <summary>A scenario that threw before its end: no runs, and one figure, not met, saying why.</summary>
    public static ScenarioResult Stopped(Scenario scenario, Exception cause) =>
        new(scenario, [], null, [new Target(scenario.Name, "ran to its end", $"stopped: {cause.GetType().Name}: {cause.Message}", false)])
        {
            Ran = false,
        };

    public bool Ran { get; private init; } = true;
}

/// <summary>
/// Drives a scenario: a warm-up, then its most (a fixed number of connections, each sending its next unit as soon as
/// the last one answered: this generator; for a read path, wrk, in interleaved pairs with the same reads on the
/// baseline), then each fixed rate (units started on a schedule whatever the answers, with latency counted from when
/// each was due, so a stall shows in the figures).
/// </summary>
public static class LoadRunner
{
    /// <summary>How many times a read path's most and its baseline's are measured, one after the other.</summary>
    public const int BaselinePairs = 3;

    public static string MostMode(int pair) => $"most #{pair}";

    public static string BaselineMode(int pair) => $"baseline most #{pair}";

    public static async Task<ScenarioResult> RunAsync(Scenario scenario, BenchSettings settings, ProcessSampler sampler)
    {
        if (scenario.Prepare is not null)
        {
            await scenario.Prepare();
        }

        if (scenario.Run is not null)
        {
            var custom = await scenario.Run(sampler);
            var verified = scenario.Verify is null ? ((bool, string)?)null : await scenario.Verify();
            Print(custom.Runs);
            return new ScenarioResult(scenario, custom.Runs, verified, custom.Figures);
        }

        var runs = new List<RunResult>();
        var paths = scenario.Paths is { } next ? await PathFilesAsync(next) : default;
        using (var client = Client(settings.Urls[scenario.Target], scenario.AccessToken))
        {
            if (scenario.Paths is null)
            {
                await PrepareRunAsync(scenario, scenario.ClosedLoopUnits);
                await ClosedLoopAsync(client, scenario.Unit, scenario.Concurrency, settings.Warmup);
                await PrepareRunAsync(scenario, scenario.ClosedLoopUnits);
                runs.Add(await MeasureAsync("most", null, sampler, () => ClosedLoopAsync(client, scenario.Unit, scenario.Concurrency, settings.Duration)));
            }
            else
            {
                // The read and its baseline in interleaved pairs, after both are warm: a noisy moment of the machine
                // falls on both sides of a pair, and the spread of the pairs' ratios shows how noisy the run was.
                await Wrk.RunAsync(settings.Urls[scenario.Target], paths.Service, scenario.AccessToken, scenario.Concurrency, settings.Warmup);
                await Wrk.RunAsync(settings.Urls["baseline"], paths.Baseline, scenario.AccessToken, scenario.Concurrency, settings.Warmup);
                for (var pair = 1; pair <= BaselinePairs; pair++)
                {
                    runs.AddRange(await PairAsync(pair,
                        () => MeasureWrkAsync(MostMode(pair), sampler, () =>
                            Wrk.RunAsync(settings.Urls[scenario.Target], paths.Service, scenario.AccessToken, scenario.Concurrency, settings.Duration)),
                        () => MeasureWrkAsync(BaselineMode(pair), sampler, () =>
                            Wrk.RunAsync(settings.Urls["baseline"], paths.Baseline, scenario.AccessToken, scenario.Concurrency, settings.Duration))));
                }
            }

            foreach (var rate in scenario.Rates.Select(r => r * settings.RateScale))
            {
                await PrepareRunAsync(scenario, (int)Math.Ceiling(rate * settings.Duration.TotalSeconds));
                runs.Add(await MeasureAsync($"{rate:0}/s", rate, sampler, () => OpenLoopAsync(client, scenario.Unit, rate, settings.Duration)));
            }
        }

        if (scenario.Paths is not null)
        {
            File.Delete(paths.Service);
            File.Delete(paths.Baseline);
        }

        var check = scenario.Verify is null ? ((bool, string)?)null : await scenario.Verify();
        Print(runs);
        return new ScenarioResult(scenario, runs, check, []);
    }

    /// <summary>A client for the scenario's target, with a bearer token every request carries unless it brings its own.</summary>
    public static HttpClient Client(Uri baseAddress, string? accessToken)
    {
        var client = new HttpClient(
            new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    /// <summary>
    /// Units started on schedule at <paramref name="rate"/> for <paramref name="duration"/>, whatever the answers,
    /// each latency counted from when the unit was due. The caller samples the processes (several loads may run at once).
    /// </summary>
    public static async Task<RunResult> OpenLoopAsync(
        string mode, HttpClient client, Unit unit, double rate, TimeSpan duration, Func<IReadOnlyDictionary<string, ProcessUsage>> usage)
    {
        var samples = await OpenLoopAsync(client, unit, rate, duration);
        return Summarise(mode, rate, samples, usage());
    }

    /// <summary>
    /// A pair's two measurements, the first one first in odd pairs and last in even ones: the machine speeds up and
    /// slows down through a run (caches warm, other work starts and ends), and a side always measured second would
    /// always meet the later machine.
    /// </summary>
    public static async Task<RunResult[]> PairAsync(int pair, Func<Task<RunResult>> first, Func<Task<RunResult>> second)
    {
        if (pair % 2 == 1)
        {
            var firstRun = await first();
            return [firstRun, await second()];
        }

        var secondRun = await second();
        return [await first(), secondRun];
    }

    /// <summary>A unit's most on <paramref name="client"/>: as many workers as <paramref name="workers"/> keep it busy for the duration.</summary>
    public static Task<RunResult> MostAsync(string mode, HttpClient client, Unit unit, int workers, TimeSpan duration, ProcessSampler sampler) =>
        MeasureAsync(mode, null, sampler, () => ClosedLoopAsync(client, unit, workers, duration));

    /// <summary>A read's most on <paramref name="target"/>, measured by wrk over the paths in <paramref name="pathsFile"/>.</summary>
    public static Task<RunResult> WrkMostAsync(
        string mode, Uri target, string pathsFile, int connections, TimeSpan duration, ProcessSampler sampler) =>
        MeasureWrkAsync(mode, sampler, () => Wrk.RunAsync(target, pathsFile, null, connections, duration));

    private static void Print(List<RunResult> runs)
    {
        foreach (var run in runs)
        {
            Console.WriteLine($"    {run.Mode,-14} {run.PerSecond,9:N0}/s  p50 {run.P50Ms,7:N2} ms  p99 {run.P99Ms,7:N2} ms  "
                + $"max {run.MaxMs,8:N1} ms  errors {run.Errors}");
        }
    }

    private static Task PrepareRunAsync(Scenario scenario, int units) => scenario.PrepareRun is { } prepare ? prepare(units) : Task.CompletedTask;

    private static async Task<RunResult> MeasureAsync(string mode, double? rate, ProcessSampler sampler, Func<Task<Samples>> run)
    {
        sampler.Start();
        var samples = await run();
        return Summarise(mode, rate, samples, sampler.Stop());
    }

    private static RunResult Summarise(string mode, double? rate, Samples samples, IReadOnlyDictionary<string, ProcessUsage> usage)
    {
        var latencies = samples.Latencies;
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? 0 : Ticks(latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)]);
        return new RunResult(mode, rate, latencies.Count, samples.Errors, samples.Seconds, latencies.Count / samples.Seconds,
            Percentile(0.50), Percentile(0.90), Percentile(0.99), latencies.Count == 0 ? 0 : Ticks(latencies[^1]), usage);
    }

    private static async Task<RunResult> MeasureWrkAsync(string mode, ProcessSampler sampler, Func<Task<Wrk.Figures>> run)
    {
        sampler.Start();
        var figures = await run();
        var usage = sampler.Stop();
        return new RunResult(mode, null, figures.Requests - figures.Errors, figures.Errors, figures.Seconds,
            (figures.Requests - figures.Errors) / figures.Seconds, figures.P50Ms, figures.P90Ms, figures.P99Ms, figures.MaxMs, usage);
    }

    // 10,000 requests of the scenario, the same ones for the service and the baseline, for wrk to pick from.
    private static async Task<(string Service, string Baseline)> PathFilesAsync(NextPaths next)
    {
        var pairs = Enumerable.Range(0, 10_000).Select(_ => next()).ToList();
        return (await Wrk.PathsFileAsync(pairs.Select(p => p.Service)), await Wrk.PathsFileAsync(pairs.Select(p => p.Baseline)));
    }

    private static double Ticks(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed record Samples(List<long> Latencies, long Errors, double Seconds);

    private static async Task<Samples> ClosedLoopAsync(HttpClient client, Unit unit, int workers, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        var perWorker = await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            var latencies = new List<long>();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                bool succeeded;
                try
                {
                    succeeded = await SafelyAsync(unit, client);
                }
                catch (NoMoreWorkException)
                {
                    break;
                }

                if (succeeded)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - start);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }

            return latencies;
        }));
        return new Samples(perWorker.SelectMany(l => l).ToList(), errors, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<Samples> OpenLoopAsync(HttpClient client, Unit unit, double rate, TimeSpan duration)
    {
        var total = (int)Math.Round(rate * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / rate;
        var latencies = new long[total];
        var succeeded = new bool[total];
        var inFlight = new List<Task>(total);
        var started = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)((Stopwatch.GetTimestamp() - started) / interval) + 1);
            for (; sent < due; sent++)
            {
                var index = sent;
                var intended = started + (long)(index * interval);
                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        succeeded[index] = await SafelyAsync(unit, client);
                    }
                    catch (NoMoreWorkException)
                    {
                        // A fixed rate is sized to its prepared work: running out of it is a failed unit.
                    }

                    latencies[index] = Stopwatch.GetTimestamp() - intended;
                }));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        var seconds = Math.Max(duration.TotalSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new Samples(latencies.Where((_, i) => succeeded[i]).ToList(), succeeded.Count(ok => !ok), seconds);
    }

    private static async Task<bool> SafelyAsync(Unit unit, HttpClient client)
    {
        try
        {
            return await unit(client, CancellationToken.None);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
