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
    private const long Never = long.MinValue;
    private long _counted;
    private long _lastLoggedAt = Never;

    /// <summary>Counts one; returns how many to report (this one included) when a line is due now, or null when not.</summary>
    public long? Count()
    {
        Interlocked.Increment(ref _counted);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLoggedAt);
        if (last != Never && time.GetElapsedTime(last, now) < Interval)
        {
            return null;
        }

        // Of the callers that found a line due, one takes it; it reports every event counted until then.
        return Interlocked.CompareExchange(ref _lastLoggedAt, now, last) == last ? Interlocked.Exchange(ref _counted, 0) : null;
    }
}
