namespace Locations.Domain;

/// <summary>What a store's week of <see cref="OpeningInterval"/>s must be: any number a day, none overlapping another.</summary>
public static class OpeningHoursRules
{
    public const int MaxIntervals = 50;

    /// <summary>The index of every interval that overlaps one listed before it (across midnight and the week's end too).</summary>
    public static IEnumerable<int> Overlapping(IReadOnlyList<OpeningInterval> intervals) =>
        Enumerable.Range(0, intervals.Count).Where(i => Enumerable.Range(0, i).Any(j => Overlap(intervals[i], intervals[j])));

    private static bool Overlap(OpeningInterval one, OpeningInterval other) =>
        one.MinutesOfWeek().Any(a => other.MinutesOfWeek().Any(b => a.Start < b.End && b.Start < a.End));
}
