using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Configuration;
using Platform.Health;

namespace Platform.Aws;

/// <summary>
/// AWS clients as singletons for the configured region. The SDK itself honours <c>AWS_ENDPOINT_URL</c> and finds
/// credentials (environment locally, the task role on ECS); only S3 needs telling that an emulator wants path-style URLs.
/// Every client is bounded: <c>AWS_TIMEOUT_MS</c> per attempt and <c>AWS_MAX_ERROR_RETRY</c> retries (SQS's attempts
/// also get the longest long poll), so an AWS outage is a quick failure, not a hang.
/// </summary>
public static class AwsExtensions
{
    internal static void AddAwsCore(this IHostApplicationBuilder builder)
    {
        builder.AddEnvironmentOptions<AwsOptions>();
        AwsFailureNames.Register();
        builder.Services.TryAddSingleton<IAmazonSimpleSystemsManagement>(sp =>
            new AmazonSimpleSystemsManagementClient(Bounded(new AmazonSimpleSystemsManagementConfig(), sp)));
    }

    /// <summary>Adds the S3 client and makes readiness depend on <paramref name="bucketVariable"/>'s bucket.</summary>
    public static IHostApplicationBuilder AddS3Bucket(this IHostApplicationBuilder builder, string bucketVariable)
    {
        builder.Services.TryAddSingleton<IAmazonS3>(sp =>
        {
            var aws = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            return new AmazonS3Client(Bounded(new AmazonS3Config { ForcePathStyle = aws.EndpointUrl is not null }, sp));
        });
        builder.Services.TryAddSingleton<PresignedUrls>();
        var bucket = RequiredSetting(builder, bucketVariable);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"s3:{NameOr(bucket, bucketVariable)}", sp => new S3BucketHealthCheck(sp.GetRequiredService<IAmazonS3>(), bucket),
            HealthStatus.Unhealthy, [HealthTags.Ready]));
        return builder;
    }

    /// <summary>Adds the SQS client and makes readiness depend on <paramref name="queueVariable"/>'s queue.</summary>
    public static IHostApplicationBuilder AddSqsQueue(this IHostApplicationBuilder builder, string queueVariable)
    {
        builder.Services.TryAddSingleton<IAmazonSQS>(sp =>
            new AmazonSQSClient(Bounded(new AmazonSQSConfig(), sp, extraPerAttempt: AwsOptions.SqsLongestLongPoll)));
        var queue = RequiredSetting(builder, queueVariable);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"sqs:{NameOr(queue, queueVariable)}", sp => new SqsQueueHealthCheck(sp.GetRequiredService<IAmazonSQS>(), queue),
            HealthStatus.Unhealthy, [HealthTags.Ready]));
        return builder;
    }

    private static TConfig Bounded<TConfig>(TConfig config, IServiceProvider services, TimeSpan extraPerAttempt = default) where TConfig : ClientConfig
    {
        var aws = services.GetRequiredService<IOptions<AwsOptions>>().Value;
        config.RegionEndpoint = RegionEndpoint.GetBySystemName(aws.Region);
        config.Timeout = aws.Timeout + extraPerAttempt;
        config.MaxErrorRetry = aws.MaxErrorRetry;
        return config;
    }

    // Unset, the check is named after its variable, so two unset ones do not collide before validation names them both.
    private static string NameOr(string value, string variable) => value.Length > 0 ? value : variable;

    private static string RequiredSetting(IHostApplicationBuilder builder, string variable)
    {
        RequiredVariables.Require(builder, variable);
        return builder.Configuration[variable] ?? "";
    }
}
