using Amazon;
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
/// </summary>
public static class AwsExtensions
{
    internal static void AddAwsCore(this IHostApplicationBuilder builder)
    {
        builder.AddEnvironmentOptions<AwsOptions>();
        builder.Services.TryAddSingleton<IAmazonSimpleSystemsManagement>(sp =>
            new AmazonSimpleSystemsManagementClient(new AmazonSimpleSystemsManagementConfig { RegionEndpoint = Region(sp) }));
    }

    /// <summary>Adds the S3 client and makes readiness depend on <paramref name="bucketVariable"/>'s bucket.</summary>
    public static IHostApplicationBuilder AddS3Bucket(this IHostApplicationBuilder builder, string bucketVariable)
    {
        builder.Services.TryAddSingleton<IAmazonS3>(sp =>
        {
            var aws = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            return new AmazonS3Client(new AmazonS3Config
            {
                RegionEndpoint = RegionEndpoint.GetBySystemName(aws.Region),
                ForcePathStyle = aws.EndpointUrl is not null,
            });
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
        builder.Services.TryAddSingleton<IAmazonSQS>(sp => new AmazonSQSClient(new AmazonSQSConfig { RegionEndpoint = Region(sp) }));
        var queue = RequiredSetting(builder, queueVariable);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"sqs:{NameOr(queue, queueVariable)}", sp => new SqsQueueHealthCheck(sp.GetRequiredService<IAmazonSQS>(), queue),
            HealthStatus.Unhealthy, [HealthTags.Ready]));
        return builder;
    }

    private static RegionEndpoint Region(IServiceProvider services) =>
        RegionEndpoint.GetBySystemName(services.GetRequiredService<IOptions<AwsOptions>>().Value.Region);

    // Unset, the check is named after its variable, so two unset ones do not collide before validation names them both.
    private static string NameOr(string value, string variable) => value.Length > 0 ? value : variable;

    private static string RequiredSetting(IHostApplicationBuilder builder, string variable)
    {
        RequiredVariables.Require(builder, variable);
        return builder.Configuration[variable] ?? "";
    }
}
