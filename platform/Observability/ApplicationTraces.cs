using System.Diagnostics;

namespace Platform.Observability;

/// <summary>
/// The spans a service starts for its own work outside a request: work done for several requests at once, say, under
/// the first of them that is traced and linked to the others, so each request's trace still leads to it.
/// </summary>
public static class ApplicationTraces
{
    public const string SourceName = "MyComputer.Application";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// A span for <paramref name="operation"/> done on behalf of <paramref name="callers"/> (their span contexts): a child
    /// of the first that is sampled (or of the first, which leaves it unsampled too), linked to the rest.
    /// </summary>
    public static Activity? StartOnBehalfOf(string operation, IReadOnlyList<ActivityContext> callers)
    {
        var traced = callers.Where(c => c != default).ToList();
        if (traced.Count == 0)
        {
            return null;
        }

        var parent = traced.FirstOrDefault(c => c.TraceFlags.HasFlag(ActivityTraceFlags.Recorded), traced[0]);
        return Source.StartActivity(operation, ActivityKind.Internal, parent, links: traced.Where(c => c != parent).Select(c => new ActivityLink(c)));
    }
}
