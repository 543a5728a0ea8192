using System.Diagnostics;

namespace Faults.Tests;

/// <summary>Waiting with a deadline: for a condition, or for how long something took.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < patience, $"{what}: not within {patience.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    /// <summary>How long until <paramref name="condition"/> held, or null if it did not within <paramref name="patience"/>.</summary>
    public static async Task<TimeSpan?> TimeUntilAsync(Func<Task<bool>> condition, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        return null;
    }
}
