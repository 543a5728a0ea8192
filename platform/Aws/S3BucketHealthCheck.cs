using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Aws;

internal sealed class S3BucketHealthCheck(IAmazonS3 s3, string bucket) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (AmazonS3Exception exception)
        {
            return HealthCheckResult.Unhealthy($"bucket {bucket}: {exception.ErrorCode}");
        }
    }
}
