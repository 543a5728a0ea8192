using System.Diagnostics;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using Platform.Hosting;

namespace Platform.Messaging;

/// <summary>
/// Long-polls one queue (20 s, up to 10 messages) and gives each message to <typeparamref name="TProcessor"/> in a scope
/// of its own. A message is deleted only after its handler returns; one that fails (or cannot be read) is left for
/// SQS to deliver again after the queue's visibility timeout, and after the queue's maximum receives it moves to the
/// dead-letter queue. Stopping cancels the poll and any handler in flight, whose message is then delivered again.
/// </summary>
public sealed class SqsEventConsumer<TProcessor>(
    string queue, IAmazonSQS sqs, QueueUrls urls, IServiceScopeFactory scopes, EventMetrics metrics, ILogger<SqsEventConsumer<TProcessor>> logger)
    : BackgroundService
    where TProcessor : IEventProcessor
{
    /// <summary>The message attribute that says why a message was dead-lettered.</summary>
    public const string RejectedReasonAttribute = "rejected-reason";

    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var url = await urls.GetAsync(queue, stoppingToken);
                ReceiveMessageResponse received;
                // The long poll is no trace: one every 20 s per queue would bury the requests'. Each message is traced
                // where it is handled, under the trace that published it.
                using (SuppressInstrumentationScope.Begin())
                {
                    received = await sqs.ReceiveMessageAsync(
                        new ReceiveMessageRequest
                        {
                            QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 20,
                            MessageSystemAttributeNames = ["ApproximateReceiveCount"], MessageAttributeNames = [MessagingTrace.TraceParentAttribute],
                        },
                        stoppingToken);
                }

                foreach (var message in received.Messages ?? [])
                {
                    await HandleAsync(url, message, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Receiving from {Queue} failed; trying again in {PauseSeconds} s", queue, PauseAfterFailure.TotalSeconds);
                await Task.Delay(PauseAfterFailure, stoppingToken);
            }
        }
    }

    private async Task HandleAsync(string url, Message message, CancellationToken cancellationToken)
    {
        EventEnvelope? envelope = null;
        // Ended after the failures are handled: their log lines and the dead-lettering are in the event's trace too.
        Activity? process = null;
        try
        {
            envelope = JsonSerializer.Deserialize<EventEnvelope>(message.Body, EventEnvelope.Json)
                ?? throw new JsonException("The message body is not an event.");
            process = MessagingTrace.Start($"process {envelope.Type}", ActivityKind.Consumer,
                message.MessageAttributes?.GetValueOrDefault(MessagingTrace.TraceParentAttribute)?.StringValue, envelope.Id, queue);
            await using var scope = scopes.CreateAsyncScope();
            var handling = await scope.ServiceProvider.GetRequiredService<TProcessor>().HandleAsync(envelope, cancellationToken);
            await sqs.DeleteMessageAsync(url, message.ReceiptHandle, cancellationToken);
            metrics.Received(envelope.Type, handling == EventHandling.Duplicate ? "duplicate" : "handled");
        }
        catch (EventRejectedException rejected)
        {
            process?.SetStatus(ActivityStatusCode.Error, rejected.Message);
            await DeadLetterAsync(url, message, rejected.Message, cancellationToken);
            metrics.Received(envelope?.Type, "dead_lettered");
        }
        catch (Exception exception) when (exception.IsNotStopping(cancellationToken))
        {
            process?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            logger.LogError(exception, "Message {MessageId} from {Queue} failed on receive {ReceiveCount}; SQS will deliver it again",
                message.MessageId, queue, message.Attributes?.GetValueOrDefault("ApproximateReceiveCount"));
            metrics.Received(envelope?.Type, "failed");
        }
        finally
        {
            process?.Dispose();
        }
    }

    /// <summary>Moves a rejected message to the dead-letter queue (sent there first, so a crash between keeps it somewhere).</summary>
    private async Task DeadLetterAsync(string url, Message message, string reason, CancellationToken cancellationToken)
    {
        if (await urls.GetDeadLetterAsync(queue, cancellationToken) is not { } deadLetterUrl)
        {
            logger.LogError("Message {MessageId} from {Queue} was rejected ({Reason}), but the queue has no dead-letter queue; SQS will deliver it again",
                message.MessageId, queue, reason);
            return;
        }

        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = deadLetterUrl,
            MessageBody = message.Body,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [RejectedReasonAttribute] = new() { DataType = "String", StringValue = reason },
            },
        }, cancellationToken);
        await sqs.DeleteMessageAsync(url, message.ReceiptHandle, cancellationToken);
        logger.LogWarning("Message {MessageId} from {Queue} was rejected and moved to its dead-letter queue: {Reason}", message.MessageId, queue, reason);
    }
}
