namespace Platform.Messaging;

/// <summary>Processes the events of one queue. Throwing leaves the message for SQS to deliver again (and, after the queue's
/// maximum receives, to move to its dead-letter queue); returning acknowledges it.</summary>
public interface IEventProcessor
{
    Task<EventHandling> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>What a processor did with an event: applied it, or found it handled before (a redelivery) and changed nothing.</summary>
public enum EventHandling
{
    Handled,
    Duplicate,
}
