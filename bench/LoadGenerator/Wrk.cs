using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LoadGenerator;

/// <summary>
/// A read scenario's most, measured by wrk (Debian's): C code, so on a 2-core machine the generator takes as little
/// of the CPU as it can, and the same for the service and its baseline. Paths come from a file, picked at random.
/// </summary>
public static partial class Wrk
{
    private const string Script = "bench/wrk/paths.lua";

    public sealed record Figures(long Requests, long Errors, double Seconds, double P50Ms, double P90Ms, double P99Ms, double MaxMs);

    public static async Task<Figures> RunAsync(Uri target, string pathsFile, string? accessToken, int connections, TimeSpan duration)
    {
        var start = new ProcessStartInfo("wrk",
        [
            "-t2", $"-c{connections}", $"-d{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s", "--timeout", "10s",
            "-s", Path.GetFullPath(Script), target.ToString().TrimEnd('/'),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WRK_PATHS"] = pathsFile;
        start.Environment["WRK_TOKEN"] = accessToken ?? "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var figures = FiguresLine().Match(output);
        if (process.ExitCode != 0 || !figures.Success)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output}{error}");
        }

        long Value(string name) => long.Parse(figures.Groups[name].Value, CultureInfo.InvariantCulture);
        return new Figures(Value("requests"), Value("status") + Value("socket"), Value("duration") / 1e6,
            Value("p50") / 1000.0, Value("p90") / 1000.0, Value("p99") / 1000.0, Value("max") / 1000.0);
    }

    /// <summary>A file of paths for wrk to pick from; the caller deletes it.</summary>
    public static async Task<string> PathsFileAsync(IEnumerable<string> paths)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, paths);
        return file;
    }

    [GeneratedRegex(@"wrk-figures requests=(?<requests>\d+) duration_us=(?<duration>\d+) status_errors=(?<status>\d+) socket_errors=(?<socket>\d+) "
        + @"p50=(?<p50>\d+) p90=(?<p90>\d+) p99=(?<p99>\d+) max=(?<max>\d+)")]
    private static partial Regex FiguresLine();
}
