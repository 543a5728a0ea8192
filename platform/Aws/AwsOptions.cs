using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Platform.Aws;

public sealed class AwsOptions
{
    [ConfigurationKeyName("AWS_REGION"), Required(ErrorMessage = "AWS_REGION is required (for example eu-west-1).")]
    public string Region { get; set; } = "";

    /// <summary>Set only to talk to a local emulator; every AWS client honours it.</summary>
    [ConfigurationKeyName("AWS_ENDPOINT_URL"), Url(ErrorMessage = "AWS_ENDPOINT_URL must be an absolute URL.")]
    public string? EndpointUrl { get; set; }

    /// <summary>Milliseconds one attempt of an S3, SQS or Secrets Manager call may take (the SDK client's <c>Timeout</c>).</summary>
    [ConfigurationKeyName("AWS_TIMEOUT_MS"), Range(100, 60_000)]
    public int TimeoutMilliseconds { get; set; } = 2000;

    /// <summary>Retries after a failed attempt (the SDK client's <c>MaxErrorRetry</c>); with the timeout, bounds a call.</summary>
    [ConfigurationKeyName("AWS_MAX_ERROR_RETRY"), Range(0, 10)]
    public int MaxErrorRetry { get; set; } = 1;

    /// <summary>
    /// The longest long poll SQS allows (<c>WaitTimeSeconds</c> at most 20): an SQS attempt may take that much more
    /// than <see cref="TimeoutMilliseconds"/>, or every empty receive would time out.
    /// </summary>
    public static readonly TimeSpan SqsLongestLongPoll = TimeSpan.FromSeconds(20);

    public TimeSpan Timeout => TimeSpan.FromMilliseconds(TimeoutMilliseconds);

    /// <summary>A budget for a whole call, as long as its attempts' timeouts together, for a call that bounds itself so (an SQS send).</summary>
    public TimeSpan LongestCall => Timeout * (MaxErrorRetry + 1);
}
