namespace Customers.Tests;

/// <summary>Low limits, so throttling is reached in a few attempts; tests send their own client address.</summary>
public sealed class LockoutFixture() : CustomersFixture(new Dictionary<string, string>
{
    ["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP"] = "3",
    ["LOGIN_MAX_FAILURES_PER_IP"] = "6",
    ["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = "8",
    ["LOGIN_LOCKOUT_SECONDS"] = "120",
});
