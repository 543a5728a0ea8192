using System.Diagnostics;

namespace Platform.Observability;

/// <summary>
/// The spans a service starts for its own work outside a request's trace: work done for several requests at once, say,
/// under the first of them that is traced and linked to the others, so each request's trace still leads to it; or a
/// later step of work whose trace began in an earlier request.
/// </summary>
public static class ApplicationTraces
{
    public const string SourceName = "MyComputer.Application";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// A span for <paramref name="operation"/> done on behalf of <paramref name="callers"/> (their span contexts): a child
    /// of the first that is sampled (or of the first, which leaves it unsampled too, its trace id carried on), linked to
    /// the rest.
    /// </summary>
    public static Activity? StartOnBehalfOf(string operation, IReadOnlyList<ActivityContext> callers)
    {
        var traced = callers.Where(c => c != default).ToList();
        if (traced.Count == 0)
        {
            return null;
        }

        var parent = traced.FirstOrDefault(c => c.TraceFlags.HasFlag(ActivityTraceFlags.Recorded), traced[0]);
        // Taken as a remote parent, for the sampler: the span of an unsampled local parent would not be made at all, and
        // the work (its log lines) would lose the trace id.
        var asRemote = new ActivityContext(parent.TraceId, parent.SpanId, parent.TraceFlags, parent.TraceState, isRemote: true);
        return Source.StartActivity(operation, ActivityKind.Internal, asRemote, links: traced.Where(c => c != parent).Select(c => new ActivityLink(c)));
    }

    /// <summary>The current span's W3C <c>traceparent</c>, to continue its trace later (null when there is no span).</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// A span for <paramref name="operation"/> in the trace of <paramref name="traceParent"/> (a W3C <c>traceparent</c>
    /// kept from the request that began the work), taking its sampling decision, and linked to the current span (the
    /// request doing this step), whose own trace then leads to it; null when there is none to continue, and the work
    /// stays in the current trace. Start it in the method that does the work: a span started inside an awaited method is
    /// not current in its caller.
    /// </summary>
    public static Activity? Continue(string operation, string? traceParent) =>
        TryParseKept(traceParent, out var context)
            ? Source.StartActivity(operation, ActivityKind.Internal, context, links: Activity.Current is { } step ? [new ActivityLink(step.Context)] : null)
            : null;

    /// <summary>
    /// A <c>traceparent</c> kept elsewhere (a session, a row, a message attribute) as the remote parent it is. The sampler
    /// gives the child of a remote unsampled parent an unrecorded span that carries the trace on; a local unsampled
    /// parent would give it none, and nine checkouts in ten would lose their trace.
    /// </summary>
    internal static bool TryParseKept(string? traceParent, out ActivityContext context) =>
        ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out context);
}
