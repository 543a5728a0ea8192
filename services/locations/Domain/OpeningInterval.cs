namespace Locations.Domain;

/// <summary>
/// One span of time a store is open, starting on <see cref="Day"/> in the store's own time zone. When it closes at or
/// before the time it opens it ends on the next day (22:00–02:00), and opening and closing at the same time means 24 hours.
/// </summary>
public sealed record OpeningInterval(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes)
{
    public const int MinutesPerDay = 24 * 60;
    public const int MinutesPerWeek = 7 * MinutesPerDay;

    /// <summary>When it opens, in minutes since Monday 00:00 (the ISO week the database counts in too).</summary>
    public int OpensAtMinuteOfWeek => DaysSinceMonday * MinutesPerDay + Opens.Hour * 60 + Opens.Minute;

    public int LengthInMinutes => Closes == Opens ? MinutesPerDay : (int)(Closes - Opens).TotalMinutes;

    /// <summary>The minutes of the week it covers, [start, end); split in two when it runs past Sunday midnight.</summary>
    public IEnumerable<(int Start, int End)> MinutesOfWeek()
    {
        var end = OpensAtMinuteOfWeek + LengthInMinutes;
        if (end <= MinutesPerWeek)
        {
            yield return (OpensAtMinuteOfWeek, end);
            yield break;
        }

        yield return (OpensAtMinuteOfWeek, MinutesPerWeek);
        yield return (0, end - MinutesPerWeek);
    }

    private int DaysSinceMonday => ((int)Day + 6) % 7;
}
