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
}
