using System.Text.Json;
using Amazon;
using Amazon.SQS;
using Amazon.SQS.Model;
using OpenTelemetry;

namespace TestSupport;

/// <summary>Queues of a test's own on the emulator, shaped like the real ones: a dead-letter queue after 5 receives.</summary>
public static class TestQueues
{
    public static IAmazonSQS Client { get; } = new AmazonSQSClient(
        new AmazonSQSConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(TestEnvironment.Require("AWS_REGION")) });

    /// <summary>
    /// Creates <paramref name="name"/> and <c>&lt;name&gt;-dlq</c>. The visibility timeout is short, so a failed message
    /// comes back (and reaches the dead-letter queue) in seconds rather than minutes.
    /// </summary>
    public static async Task<(string QueueUrl, string DeadLetterUrl)> CreateAsync(string name, int visibilityTimeoutSeconds = 1)
    {
        var deadLetterUrl = (await Client.CreateQueueAsync($"{name}-dlq")).QueueUrl;
        var deadLetterArn = (await Client.GetQueueAttributesAsync(deadLetterUrl, ["QueueArn"])).QueueARN;
        var redrive = JsonSerializer.Serialize(new { deadLetterTargetArn = deadLetterArn, maxReceiveCount = "5" });
        var queueUrl = (await Client.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new()
            {
                ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = redrive,
            },
        })).QueueUrl;
        return (queueUrl, deadLetterUrl);
    }

    /// <summary>Receives from <paramref name="queueUrl"/> until <paramref name="found"/> matches a message body, or the time is up.</summary>
    public static async Task<string?> WaitForAsync(string queueUrl, Func<string, bool> found, TimeSpan timeout) =>
        (await WaitForMessageAsync(queueUrl, found, timeout))?.Body;

    /// <summary>As <see cref="WaitForAsync"/>, with the message's attributes.</summary>
    public static async Task<Message?> WaitForMessageAsync(string queueUrl, Func<string, bool> found, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            ReceiveMessageResponse received;
            // The test's polls are not the services': untraced, they cannot show up among the spans of a service in the
            // same process (every tracer provider there sees every HttpClient call), where tests look for the services' own.
            using (SuppressInstrumentationScope.Begin())
            {
                received = await Client.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageAttributeNames = ["All"],
                });
            }

            if (received.Messages?.FirstOrDefault(m => found(m.Body)) is { } message)
            {
                return message;
            }
        }

        return null;
    }

    /// <summary>Waits until no message is waiting or in flight on <paramref name="queueUrl"/>: every one was handled and deleted.</summary>
    public static async Task<bool> WaitUntilEmptyAsync(string queueUrl, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var attributes = await Client.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
            if (attributes.ApproximateNumberOfMessages == 0 && attributes.ApproximateNumberOfMessagesNotVisible == 0)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
