using System.Diagnostics;
using System.Globalization;

namespace LoadGenerator;

/// <summary>A process's resident memory at its peak during a run, and the CPU it used (100 % is one core).</summary>
public sealed record ProcessUsage(double PeakRssMb, double CpuPercent);

/// <summary>Reads each watched process's resident set and CPU time from /proc every 100 ms.</summary>
public sealed class ProcessSampler : IDisposable
{
    private static readonly double ClockTicksPerSecond = 100; // USER_HZ on Linux
    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly Dictionary<string, long> _peakRssKb = [];
    private readonly Dictionary<string, long> _cpuTicksAtStart = [];
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private long _startedAt;

    public ProcessSampler(IReadOnlyDictionary<string, int> processes)
    {
        _processes = processes;
        _timer = new Timer(_ => Sample(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public void Start()
    {
        lock (_lock)
        {
            _peakRssKb.Clear();
            foreach (var (name, pid) in _processes)
            {
                _cpuTicksAtStart[name] = CpuTicks(pid);
            }

            _startedAt = Stopwatch.GetTimestamp();
        }

        Sample();
        _timer.Change(100, 100);
    }

    public IReadOnlyDictionary<string, ProcessUsage> Stop()
    {
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        Sample();
        lock (_lock)
        {
            var seconds = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
            return _processes.ToDictionary(p => p.Key, p => new ProcessUsage(
                _peakRssKb.GetValueOrDefault(p.Key) / 1024.0,
                (CpuTicks(p.Value) - _cpuTicksAtStart[p.Key]) / ClockTicksPerSecond / seconds * 100));
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        lock (_lock)
        {
            foreach (var (name, pid) in _processes)
            {
                _peakRssKb[name] = Math.Max(_peakRssKb.GetValueOrDefault(name), RssKb(pid));
            }
        }
    }

    private static long RssKb(int pid)
    {
        var line = Read($"/proc/{pid}/status").Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    // utime and stime, the 14th and 15th fields of /proc/<pid>/stat (counted after the command name's closing parenthesis).
    private static long CpuTicks(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat.Length == 0)
        {
            return 0;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return ""; // the process is gone: the report shows 0
        }
    }
}
