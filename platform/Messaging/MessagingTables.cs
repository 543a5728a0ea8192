using Microsoft.EntityFrameworkCore;
using Platform.Observability;

namespace Platform.Messaging;

/// <summary>An event a service has handled, written in the same transaction as what handling it changed.</summary>
public sealed class InboxEvent
{
    public Guid Id { get; init; }

    public required string Type { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}

/// <summary>An event to publish, written in the same transaction as the change it announces; the relay sends it.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }

    public required string Queue { get; init; }

    public required string Type { get; init; }

    public required string Body { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Until when a relay that claimed it is sending it; another relay leaves it alone till then.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>The W3C trace context of the work that wrote it, which the relay continues (<see cref="MessagingTrace"/>).</summary>
    public string? TraceParent { get; init; }
}

public static class MessagingTables
{
    /// <summary>Adds <c>inbox_events</c> and <c>outbox_messages</c> to a service's model (and so to its migrations).</summary>
    public static ModelBuilder AddMessagingTables(this ModelBuilder model)
    {
        model.Entity<InboxEvent>(inbox =>
        {
            inbox.ToTable("inbox_events");
            inbox.HasKey(e => e.Id);
            inbox.Property(e => e.Type).HasMaxLength(100);
        });
        model.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Queue).HasMaxLength(200);
            outbox.Property(m => m.Type).HasMaxLength(100);
            outbox.Property(m => m.TraceParent).HasMaxLength(55);
            outbox.HasIndex(m => m.CreatedAt).HasFilter("sent_at IS NULL");
        });
        return model;
    }

    /// <summary>
    /// Records <paramref name="envelope"/> as handled, inside the caller's transaction; false when it already was (a
    /// redelivery), and then the caller changes nothing. A concurrent duplicate waits on the key until the first commits.
    /// </summary>
    public static async Task<bool> TryRecordHandledAsync(this DbContext db, EventEnvelope envelope, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_events (id, type, processed_at) VALUES ({envelope.Id}, {envelope.Type}, {now}) ON CONFLICT (id) DO NOTHING",
            cancellationToken) == 1;

    /// <summary>
    /// Queues <paramref name="envelope"/> for <paramref name="queue"/>; it is saved with the caller's changes and sent after
    /// commit, in the trace of <paramref name="traceParent"/> when given (the work the event belongs to), else the current one.
    /// </summary>
    public static void Publish(this DbContext db, string queue, EventEnvelope envelope, string? traceParent = null) =>
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Id = envelope.Id,
            Queue = queue,
            Type = envelope.Type,
            Body = System.Text.Json.JsonSerializer.Serialize(envelope, EventEnvelope.Json),
            CreatedAt = envelope.OccurredAt,
            TraceParent = traceParent ?? ApplicationTraces.CurrentTraceParent(),
        });
}
