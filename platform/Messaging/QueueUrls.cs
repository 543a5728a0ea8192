using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.SQS;

namespace Platform.Messaging;

/// <summary>Queue URLs by name, and their dead-letter queues' URLs, looked up once.</summary>
public sealed class QueueUrls(IAmazonSQS sqs)
{
    private readonly ConcurrentDictionary<string, string> _urls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string?> _deadLetterUrls = new(StringComparer.Ordinal);

    public async Task<string> GetAsync(string queue, CancellationToken cancellationToken)
    {
        if (_urls.TryGetValue(queue, out var url))
        {
            return url;
        }

        url = (await sqs.GetQueueUrlAsync(queue, cancellationToken)).QueueUrl;
        _urls[queue] = url;
        return url;
    }

    /// <summary>The URL of the dead-letter queue in <paramref name="queue"/>'s redrive policy; null when it has none.</summary>
    public async Task<string?> GetDeadLetterAsync(string queue, CancellationToken cancellationToken)
    {
        if (_deadLetterUrls.TryGetValue(queue, out var url))
        {
            return url;
        }

        var attributes = await sqs.GetQueueAttributesAsync(await GetAsync(queue, cancellationToken), ["RedrivePolicy"], cancellationToken);
        url = null;
        if (attributes.Attributes?.GetValueOrDefault("RedrivePolicy") is { Length: > 0 } policy)
        {
            using var document = JsonDocument.Parse(policy);
            var arn = document.RootElement.GetProperty("deadLetterTargetArn").GetString() ?? "";
            url = await GetAsync(arn.Split(':')[^1], cancellationToken);
        }

        _deadLetterUrls[queue] = url;
        return url;
    }
}
