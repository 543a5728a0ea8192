using System.Diagnostics;
using Platform.Observability;

namespace Platform.Messaging;

/// <summary>
/// Carries a trace across SQS, so a checkout is one trace through the services and the queue hop: the outbox keeps the
/// W3C <c>traceparent</c> of the work that wrote an event, the relay sends the message from a producer span under it
/// with that span's <c>traceparent</c> as a message attribute, and the consumer handles the message in a consumer span
/// under that. A span's sampling decision travels with it.
/// </summary>
public static class MessagingTrace
{
    public const string SourceName = "Platform.Messaging";

    /// <summary>The SQS message attribute with the producer span's W3C trace context.</summary>
    public const string TraceParentAttribute = "traceparent";

    /// <summary>The tag with the event's id on both spans.</summary>
    public const string MessageIdTag = "messaging.message.id";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for <paramref name="operation"/> under <paramref name="traceParent"/> (a new trace when there is none).</summary>
    internal static Activity? Start(string operation, ActivityKind kind, string? traceParent, Guid messageId, string queue)
    {
        var parent = ApplicationTraces.TryParseKept(traceParent, out var context) ? context : default;
        var activity = Source.StartActivity(operation, kind, parent);
        activity?.SetTag("messaging.system", "aws_sqs");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag(MessageIdTag, messageId.ToString());
        return activity;
    }
}
