namespace Platform.Messaging;

/// <summary>
/// Thrown by an <see cref="IEventProcessor"/> for an event that can never be applied (it contradicts what the consumer
/// knows: another amount, another owner): the consumer moves it to the queue's dead-letter queue at once, with the
/// reason, instead of receiving it again until SQS gives up.
/// </summary>
public sealed class EventRejectedException(string reason) : Exception(reason);
