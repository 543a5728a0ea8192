using Amazon.SQS;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Aws;

internal sealed class SqsQueueHealthCheck(IAmazonSQS sqs, string queueName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await sqs.GetQueueUrlAsync(queueName, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (AmazonSQSException exception)
        {
            return HealthCheckResult.Unhealthy($"queue {queueName}: {exception.ErrorCode}");
        }
    }
}
