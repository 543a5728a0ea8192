using System.Diagnostics;
using System.Diagnostics.Metrics;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Aws;
using Platform.Hosting;
using Platform.Observability;
using Platform.Postgres;

namespace Platform.Messaging;

/// <summary>
/// Sends <see cref="OutboxMessage"/>s to SQS and marks them sent. A batch is claimed (leased) with <c>FOR UPDATE SKIP
/// LOCKED</c>, so tasks relay side by side without sending one twice in the normal course; a message is marked sent only
/// after SQS has accepted it, so a crash between the two sends it again later, and consumers de-duplicate by event id.
/// Before each batch it measures what waits: <c>outbox.backlog</c> (messages unsent) and <c>outbox.oldest_age</c>
/// (seconds since the oldest was written), which keeps growing while SQS is away and the relay cannot send.
/// </summary>
public sealed class OutboxRelay<TContext> : PollingWorker
    where TContext : DbContext
{
    private const int BatchSize = 50;

    private readonly IServiceScopeFactory _scopes;
    private readonly IAmazonSQS _sqs;
    private readonly QueueUrls _urls;
    private readonly TimeSpan _longestSend;
    private readonly TimeSpan _lease;
    private long _backlog;
    private long _oldestUnsentUtcTicks; // 0: none; a long, so the exporter's thread reads it whole

    public OutboxRelay(
        IServiceScopeFactory scopes,
        IAmazonSQS sqs,
        QueueUrls urls,
        IOptions<AwsOptions> aws,
        IMeterFactory meters,
        TimeProvider time,
        ILogger<OutboxRelay<TContext>> logger)
        : base(time, logger)
    {
        (_scopes, _sqs, _urls, _longestSend) = (scopes, sqs, urls, aws.Value.LongestCall);
        _lease = Leases.Covering(_longestSend);
        var meter = meters.CreateApplicationMeter();
        meter.CreateObservableGauge("outbox.backlog", () => Interlocked.Read(ref _backlog), "{message}", "Events written and not yet sent to SQS.");
        meter.CreateObservableGauge("outbox.oldest_age", () => OldestAgeSeconds(), "s", "How long the oldest unsent event has waited.");
    }

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken) =>
        await RelayBatchAsync(cancellationToken) == BatchSize;

    /// <summary>How many messages are unsent and when the oldest was written, in one query the partial index on unsent rows serves.</summary>
    private async Task MeasureBacklogAsync(TContext db, CancellationToken cancellationToken)
    {
        var waiting = await db.Set<OutboxMessage>().Where(m => m.SentAt == null)
            .GroupBy(_ => 1)
            .Select(unsent => new { Count = unsent.LongCount(), Oldest = unsent.Min(m => m.CreatedAt) })
            .SingleOrDefaultAsync(cancellationToken);
        Interlocked.Exchange(ref _backlog, waiting?.Count ?? 0);
        Interlocked.Exchange(ref _oldestUnsentUtcTicks, waiting?.Oldest.UtcTicks ?? 0);
    }

    private double OldestAgeSeconds() => Interlocked.Read(ref _oldestUnsentUtcTicks) is var ticks and > 0
        ? Math.Max(0, (Time.GetUtcNow().UtcTicks - ticks) / (double)TimeSpan.TicksPerSecond)
        : 0;

    /// <summary>
    /// Measures the backlog, then sends up to one batch of unsent messages, oldest first; returns how many it claimed.
    /// Claim, send, record: the batch is leased in one short transaction, sent with nothing held (a slow SQS keeps no
    /// transaction open and no row locked), and what SQS took is marked sent. What it did not take is released at once
    /// for the next round, and a crash mid-batch leaves the rest to be claimed again when the lease ends.
    /// </summary>
    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await MeasureBacklogAsync(db, cancellationToken);
        var lease = Time.LeaseEnd(_lease);
        var batch = await ClaimAsync(db, lease, cancellationToken);
        var sent = new List<Guid>(batch.Count);
        try
        {
            foreach (var message in batch)
            {
                if (lease - Time.GetUtcNow() < _longestSend)
                {
                    // Stopped rather than send what another relay may claim once the lease is over (a very slow SQS).
                    Logger.LogWarning("The outbox relay's lease ran short after {Sent} of {Claimed} messages; the rest go in the next round",
                        sent.Count, batch.Count);
                    break;
                }

                await SendAsync(message, cancellationToken);
                sent.Add(message.Id);
                Logger.LogInformation("Published {EventType} {EventId} to {Queue}", message.Type, message.Id, message.Queue);
            }
        }
        finally
        {
            await RecordAsync(db, lease, sent, [.. batch.Select(m => m.Id).Except(sent)]);
        }

        return batch.Count;
    }

    private Task<List<OutboxMessage>> ClaimAsync(TContext db, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        return db.InTransactionAsync(async ct =>
        {
            var batch = await db.Set<OutboxMessage>()
                .FromSql($"""
                    SELECT * FROM outbox_messages WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < {now})
                    ORDER BY created_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct);
            foreach (var message in batch)
            {
                message.ClaimedUntil = lease;
            }

            await db.SaveChangesAsync(ct);
            return batch;
        }, cancellationToken);
    }

    /// <summary>
    /// Sends one message within a budget of the SQS client's timeout for each of its attempts: the client's own attempts
    /// are long enough for a long poll, which a send has no use for.
    /// </summary>
    private async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_longestSend);
        using var publish = MessagingTrace.Start($"publish {message.Type}", ActivityKind.Producer, message.TraceParent, message.Id, message.Queue);
        var request = new SendMessageRequest { QueueUrl = await _urls.GetAsync(message.Queue, bounded.Token), MessageBody = message.Body };
        if ((publish?.Id ?? message.TraceParent) is { } traceParent)
        {
            request.MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [MessagingTrace.TraceParentAttribute] = new() { DataType = "String", StringValue = traceParent },
            };
        }

        await _sqs.SendMessageAsync(request, bounded.Token);
    }

    /// <summary>
    /// Marks <paramref name="sent"/> sent and gives back those of <paramref name="unsent"/> still under this round's
    /// <paramref name="lease"/> (not another relay's newer claim). Not cancelled with the round: a message SQS took while
    /// the host was stopping is still recorded, rather than sent again. A failure here is logged, so that it does not
    /// hide the send's failure that may have brought it here; the rows are then claimed again when the lease ends.
    /// </summary>
    private async Task RecordAsync(TContext db, DateTimeOffset lease, List<Guid> sent, List<Guid> unsent)
    {
        try
        {
            var now = Time.GetUtcNow();
            var messages = db.Set<OutboxMessage>();
            if (sent.Count > 0)
            {
                await messages.Where(m => sent.Contains(m.Id)).ExecuteUpdateAsync(m => m.SetProperty(x => x.SentAt, now), CancellationToken.None);
            }

            if (unsent.Count > 0)
            {
                await messages.Where(m => unsent.Contains(m.Id) && m.ClaimedUntil == lease)
                    .ExecuteUpdateAsync(m => m.SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            }
        }
        catch (Exception exception)
        {
            Logger.LogError(exception, "The outbox relay could not record {Sent} messages sent and {Unsent} given back; they are sent again later",
                sent.Count, unsent.Count);
        }
    }
}
