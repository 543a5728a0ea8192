using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Postgres;

namespace Platform.Messaging;

/// <summary>
/// Sends <see cref="OutboxMessage"/>s to SQS and marks them sent. A batch is claimed with <c>FOR UPDATE SKIP LOCKED</c>,
/// so tasks relay side by side without sending one twice in the normal course; a message is marked sent only after
/// SQS has accepted it, so a crash between the two sends it again later, and consumers de-duplicate by event id.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes, IAmazonSQS sqs, QueueUrls urls, TimeProvider time, ILogger<OutboxRelay<TContext>> logger)
    : PollingWorker(time, logger)
    where TContext : DbContext
{
    private const int BatchSize = 50;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken) =>
        await RelayBatchAsync(cancellationToken) == BatchSize;

    /// <summary>Sends up to one batch of unsent messages, oldest first; returns how many were sent.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.InTransactionAsync(async ct =>
        {
            var batch = await db.Set<OutboxMessage>()
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY created_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct);
            foreach (var message in batch)
            {
                using var publish = MessagingTrace.Start($"publish {message.Type}", ActivityKind.Producer, message.TraceParent, message.Id, message.Queue);
                var request = new SendMessageRequest { QueueUrl = await urls.GetAsync(message.Queue, ct), MessageBody = message.Body };
                if ((publish?.Id ?? message.TraceParent) is { } traceParent)
                {
                    request.MessageAttributes = new Dictionary<string, MessageAttributeValue>
                    {
                        [MessagingTrace.TraceParentAttribute] = new() { DataType = "String", StringValue = traceParent },
                    };
                }

                await sqs.SendMessageAsync(request, ct);
                message.SentAt = Time.GetUtcNow();
                Logger.LogInformation("Published {EventType} {EventId} to {Queue}", message.Type, message.Id, message.Queue);
            }

            await db.SaveChangesAsync(ct);
            return batch.Count;
        }, cancellationToken);
    }
}
