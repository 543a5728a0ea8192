using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Platform.Errors;

namespace Platform.Aws;

/// <summary>
/// Names a failure that comes out of an AWS client after its service (<c>s3</c>, <c>sqs</c>, <c>secrets</c>), so a
/// network failure the SDK passes on as it is (an <see cref="HttpRequestException"/>, a timeout) is logged naming it.
/// </summary>
internal sealed class AwsFailureNames : IRuntimePipelineCustomizer
{
    public string UniqueName => "Platform.AwsFailureNames";

    /// <summary>Applies to every AWS client created from now on in this process; registering again does nothing.</summary>
    public static void Register() => RuntimePipelineCustomizerRegistry.Instance.Register(new AwsFailureNames());

    public void Customize(Type type, RuntimePipeline pipeline)
    {
        if (Name(type) is { } name)
        {
            pipeline.AddHandler(new NamingHandler(name));
        }
    }

    private static string? Name(Type client) =>
        typeof(IAmazonS3).IsAssignableFrom(client) ? "s3"
        : typeof(IAmazonSQS).IsAssignableFrom(client) ? "sqs"
        : typeof(IAmazonSimpleSystemsManagement).IsAssignableFrom(client) ? "secrets"
        : null;

    private sealed class NamingHandler(string name) : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (Exception exception) when (DependencyFailures.Tag(exception, name))
            {
                throw; // never reached: the filter only names the failure and lets it go on
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext);
            }
            catch (Exception exception) when (DependencyFailures.Tag(exception, name))
            {
                throw; // never reached: the filter only names the failure and lets it go on
            }
        }
    }
}
