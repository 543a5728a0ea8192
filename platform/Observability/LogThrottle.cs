namespace Platform.Observability;

/// <summary>
/// For what comes in floods (a refusal, a failure during an outage, at every request): the first is logged at once,
/// then at most one line a second, carrying how many there were since the last. A line each would spend on logging
/// what the failure already costs: in the benchmark, request threads blocked on the console logger's full queue turned
/// a slow moment into an outage.
/// </summary>
internal sealed class LogThrottle(TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private long _counted;
    private long _lastLoggedAt;
    private bool _loggedOnce;

    /// <summary>Counts one; returns how many to report (this one included) when a line is due now, or null when not.</summary>
    public long? Count()
    {
        Interlocked.Increment(ref _counted);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLoggedAt);
        if (Volatile.Read(ref _loggedOnce) && time.GetElapsedTime(last, now) < Interval)
        {
            return null;
        }

        if (Interlocked.CompareExchange(ref _lastLoggedAt, now, last) != last)
        {
            return null; // another thread took this line
        }

        Volatile.Write(ref _loggedOnce, true);
        return Interlocked.Exchange(ref _counted, 0);
    }
}
