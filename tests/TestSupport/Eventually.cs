using Xunit;

namespace TestSupport;

/// <summary>For what happens after a request returns (an event through SQS, a webhook): poll until it holds, or fail saying what did not happen.</summary>
public static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen in time");
            await Task.Delay(100);
        }
    }
}
