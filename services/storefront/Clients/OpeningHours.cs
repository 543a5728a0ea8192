namespace Storefront.Clients;

/// <summary>Whether a store is open at a moment, in its own time zone, by the rules of docs/api.md.</summary>
public static class OpeningHours
{
    public static bool IsOpen(Store store, DateTimeOffset now)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(store.TimeZone, out var zone))
        {
            return false;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var today = local.DayOfWeek;
        var yesterday = (DayOfWeek)(((int)today + 6) % 7);
        foreach (var interval in store.OpeningHours)
        {
            if (!TimeOnly.TryParse(interval.Opens, System.Globalization.CultureInfo.InvariantCulture, out var opens)
                || !TimeOnly.TryParse(interval.Closes, System.Globalization.CultureInfo.InvariantCulture, out var closes))
            {
                continue;
            }

            var overnight = closes <= opens; // ends the next day; equal times are 24 hours
            if (interval.Day == today && (overnight ? time >= opens : time >= opens && time < closes))
            {
                return true;
            }

            if (interval.Day == yesterday && overnight && time < closes)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"Monday 09:00–18:00", one entry per interval, Monday first.</summary>
    public static IEnumerable<string> Describe(Store store) =>
        store.OpeningHours
            .OrderBy(interval => ((int)interval.Day + 6) % 7)
            .ThenBy(interval => interval.Opens, StringComparer.Ordinal)
            .Select(interval => $"{interval.Day} {interval.Opens}–{interval.Closes}");
}
