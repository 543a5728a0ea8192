namespace Platform.Postgres;

/// <summary>
/// The end of a lease on claimed rows (claim, call, record), in whole milliseconds: PostgreSQL keeps microseconds, so
/// the value is stored exactly and a claimer can give back its own claim by it, not a newer one made after it lapsed.
/// </summary>
public static class Leases
{
    public static DateTimeOffset LeaseEnd(this TimeProvider time, TimeSpan length)
    {
        var end = time.GetUtcNow() + length;
        return new DateTimeOffset(end.UtcTicks - end.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}
