using System.Diagnostics;
using System.Globalization;

namespace LoadGenerator;

/// <summary>
/// A new task warming up under load, as when autoscaling adds one beside saturated peers or a rolling deploy replaces
/// one: a new inventory process is started, and from the moment its <c>/health/ready</c> answers, the cached product
/// read is sent to it at its most (wrk, 32 connections) one second at a time, back to back, for 30 s. Its steady
/// throughput is the median of the last ten seconds; the figure is the first second that reaches 80 % of it. Run twice:
/// as <c>dotnet build</c> makes it (every method compiled by the JIT when first called), then published with ReadyToRun
/// as its image is (precompiled), which the figure judges.
/// </summary>
public static class NewTaskWarmUp
{
    public const string Name = "a new inventory task warming up under load";

    private const double WarmShare = 0.8;
    private const int WarmWithinSeconds = 5;
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);

    private sealed record WarmUp(List<RunResult> Runs, TimeSpan Ready)
    {
        public List<double> PerSecond => [.. Runs.Select(r => r.PerSecond)];

        public double Steady => Statistics.Median(PerSecond.Skip(Runs.Count * 2 / 3));

        /// <summary>The first second (counted from ready) at 80 % of the steady throughput or more; 0 if none was.</summary>
        public int WarmIn => Steady > 0 ? PerSecond.FindIndex(figure => figure >= WarmShare * Steady) + 1 : 0;
    }

    public static Scenario Create(BenchSettings settings, IReadOnlyList<Guid> hot) =>
        new(Name, "inventory-new", "inventory", ScenarioKind.WarmUp, (_, _) => Task.FromResult(true), [])
        {
            Run = async sampler =>
            {
                var paths = await Wrk.PathsFileAsync(Scenarios.CachedProductReads(hot));
                try
                {
                    var built = await MeasureAsync("built", settings.NewInventory.Built, settings, paths, sampler);
                    var readyToRun = await MeasureAsync("ReadyToRun", settings.NewInventory.ReadyToRun, settings, paths, sampler);
                    return new CustomRun([.. built.Runs, .. readyToRun.Runs], [Figure(readyToRun, built)]);
                }
                finally
                {
                    File.Delete(paths);
                }
            },
        };

    private static async Task<WarmUp> MeasureAsync(string build, string command, BenchSettings settings, string paths, ProcessSampler sampler)
    {
        var url = settings.Urls["inventory-new"];
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]))
            ?? throw new InvalidOperationException("the new inventory process did not start");
        try
        {
            await WaitUntilReadyAsync(url, process);
            var ready = Stopwatch.GetElapsedTime(started);
            var runs = new List<RunResult>();
            for (var second = 1; second <= (settings.Smoke ? 3 : 30); second++)
            {
                runs.Add(await LoadRunner.WrkMostAsync($"{build}, second {second}", url, paths, 32, TimeSpan.FromSeconds(1), sampler));
            }

            return new WarmUp(runs, ready);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static Target Figure(WarmUp readyToRun, WarmUp built)
    {
        var firstSeconds = readyToRun.Steady > 0
            ? string.Join(", ", readyToRun.PerSecond.Take(WarmWithinSeconds)
                .Select(figure => (figure / readyToRun.Steady).ToString("P0", CultureInfo.InvariantCulture)))
            : "nothing";
        return new Target(Name, $"published with ReadyToRun: ≥ {WarmShare:P0} of its steady throughput within {WarmWithinSeconds} s of /health/ready",
            string.Create(CultureInfo.InvariantCulture,
                $"{Reached(readyToRun)}; its first {WarmWithinSeconds} s at {firstSeconds} of the steady {readyToRun.Steady:N0}/s; "
                + $"ready {readyToRun.Ready.TotalSeconds:0.00} s after it was started. As built, without ReadyToRun: {Reached(built)}, "
                + $"steady {built.Steady:N0}/s, ready after {built.Ready.TotalSeconds:0.00} s"),
            readyToRun.WarmIn is > 0 and <= WarmWithinSeconds);
    }

    private static string Reached(WarmUp warmUp) => warmUp.WarmIn > 0 ? $"80 % reached in second {warmUp.WarmIn}" : "80 % never reached";

    private static async Task WaitUntilReadyAsync(Uri url, Process process)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(ReadyWithin.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the new inventory process exited ({process.ExitCode}) before it was ready: see its log");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the client's timeout.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        throw new TimeoutException($"the new inventory process was not ready within {ReadyWithin.TotalSeconds:0} s");
    }
}
