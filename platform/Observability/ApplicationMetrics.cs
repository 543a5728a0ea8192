using System.Diagnostics.Metrics;

namespace Platform.Observability;

/// <summary>
/// The meter each service's business counters are on, named after the seeds' CloudWatch namespace
/// (<c>MyComputer/Application</c>); the service is the resource's <c>service.name</c>. Attributes stay low in
/// cardinality: a reason or an outcome, never an id or an email.
/// </summary>
public static class ApplicationMetrics
{
    public const string MeterName = "MyComputer.Application";

    /// <summary>The meters exported besides it: requests and connections, outgoing HTTP, the runtime, and Npgsql's pool.</summary>
    internal static readonly string[] BuiltInMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", "Npgsql"];

    public static Meter CreateApplicationMeter(this IMeterFactory meters) => meters.Create(MeterName);
}
