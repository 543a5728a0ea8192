using System.Collections.Concurrent;
using Amazon.SQS;

namespace Platform.Messaging;

/// <summary>Queue URLs by name, looked up once.</summary>
public sealed class QueueUrls(IAmazonSQS sqs)
{
    private readonly ConcurrentDictionary<string, string> _urls = new(StringComparer.Ordinal);

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
}
