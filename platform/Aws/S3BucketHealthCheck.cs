using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Aws;

/// <summary>
/// The bucket answers a HeadBucket: authorised by <c>s3:ListBucket</c> on the bucket, which each task role holds for
/// its own (GetBucketLocation needs an action the roles are not given, and on AWS the check would never pass).
/// </summary>
internal sealed class S3BucketHealthCheck(IAmazonS3 s3, string bucket) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (AmazonS3Exception exception)
        {
            return HealthCheckResult.Unhealthy($"bucket {bucket}: {exception.ErrorCode}");
        }
    }
}
