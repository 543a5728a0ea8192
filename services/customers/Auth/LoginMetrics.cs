using System.Diagnostics.Metrics;
using Platform.Observability;

namespace Customers.Auth;

/// <summary><c>logins.failed</c> (wrong email or password) and <c>logins.throttled</c> (by the limit reached: its variable).</summary>
public sealed class LoginMetrics
{
    private readonly Counter<long> _failed;
    private readonly Counter<long> _throttled;

    public LoginMetrics(IMeterFactory meters)
    {
        var meter = meters.CreateApplicationMeter();
        _failed = meter.CreateCounter<long>("logins.failed", "{login}", "Logins refused for a wrong email or password.");
        _throttled = meter.CreateCounter<long>("logins.throttled", "{login}", "Logins refused because a failed-login limit was reached, by limit.");
    }

    public void Failed() => _failed.Add(1);

    public void Throttled(string limit) => _throttled.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
