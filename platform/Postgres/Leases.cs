namespace Platform.Postgres;

/// <summary>Leases on claimed rows (claim, call, record): how long they last, and their end as stored.</summary>
public static class Leases
{
    /// <summary>The shortest lease: what a claimer that crashed delays its rows by.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromMinutes(1);

    /// <summary>A lease that outlasts a few calls of up to <paramref name="longestCall"/> each, however slow they are set to be.</summary>
    public static TimeSpan Covering(TimeSpan longestCall) => longestCall * 3 > Shortest ? longestCall * 3 : Shortest;

    /// <summary>
    /// The end of a lease of <paramref name="length"/> from now, in whole milliseconds: PostgreSQL keeps microseconds, so
    /// the value is stored exactly and a claimer can end its own claim by it, not a newer one made after it lapsed.
    /// </summary>
    public static DateTimeOffset LeaseEnd(this TimeProvider time, TimeSpan length)
    {
        var end = time.GetUtcNow() + length;
        return new DateTimeOffset(end.UtcTicks - end.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}
