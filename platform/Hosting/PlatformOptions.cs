using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Platform.Hosting;

/// <summary>What every service reads from its environment besides its dependencies.</summary>
public sealed class PlatformOptions : IValidatableObject
{
    /// <summary>Where the local stack's load balancer (haproxy) runs: this machine.</summary>
    public const string LoopbackNetworks = "127.0.0.0/8,::1/128";

    [ConfigurationKeyName("PORT"), Range(1, 65535)]
    public int Port { get; set; }

    [ConfigurationKeyName("LOG_LEVEL"), RegularExpression("(?i)^(trace|debug|info|information|warn|warning|error|critical|none)$",
        ErrorMessage = "LOG_LEVEL must be one of trace, debug, info, warn, error, critical, none.")]
    public string LogLevel { get; set; } = "info";

    /// <summary>How long /health answers 503 while the service still serves, so the load balancer stops routing first.</summary>
    [ConfigurationKeyName("DRAIN_DELAY_SECONDS"), Range(0, 300)]
    public int DrainDelaySeconds { get; set; } = 10;

    /// <summary>How long in-flight requests and workers get after the drain; drain + this stays below ECS's stopTimeout.</summary>
    [ConfigurationKeyName("SHUTDOWN_TIMEOUT_SECONDS"), Range(1, 120)]
    public int ShutdownTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Milliseconds each readiness check may take; a check that has not answered by then reports its dependency down,
    /// so <c>/health/ready</c> answers within this time whatever a dependency does.
    /// </summary>
    [ConfigurationKeyName("READINESS_TIMEOUT_MS"), Range(100, 30_000)]
    public int ReadinessTimeoutMilliseconds { get; set; } = 1500;

    /// <summary>Seconds a new task sends itself its hot paths before it says it is ready (<see cref="WarmUp"/>); 0: none.</summary>
    [ConfigurationKeyName("WARMUP_SECONDS"), Range(0, 60)]
    public int WarmUpSeconds { get; set; } = 2;

    [ConfigurationKeyName("RATE_LIMIT_REQUESTS"), Range(1, int.MaxValue)]
    public int RateLimitRequests { get; set; } = 2000;

    [ConfigurationKeyName("RATE_LIMIT_WINDOW_SECONDS"), Range(1, 86_400)]
    public int RateLimitWindowSeconds { get; set; } = 300;

    /// <summary>Per customer, on the routes that hold stock or money (creating a reservation, a payment); each task counts its own.</summary>
    [ConfigurationKeyName("CUSTOMER_WRITE_RATE_LIMIT"), Range(1, int.MaxValue)]
    public int CustomerWriteRateLimit { get; set; } = 10;

    [ConfigurationKeyName("CUSTOMER_WRITE_RATE_WINDOW_SECONDS"), Range(1, 86_400)]
    public int CustomerWriteRateWindowSeconds { get; set; } = 60;

    /// <summary>Requests a task serves at once (health checks aside); as many again may wait <c>ADMISSION_WAIT_MS</c>, others get 503.</summary>
    [ConfigurationKeyName("MAX_CONCURRENT_REQUESTS"), Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 64;

    [ConfigurationKeyName("ADMISSION_WAIT_MS"), Range(0, 30_000)]
    public int AdmissionWaitMilliseconds { get; set; } = 1000;

    [ConfigurationKeyName("MAX_REQUEST_BODY_BYTES"), Range(1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The networks whose <c>X-Forwarded-For</c> is believed, comma-separated: where the load balancer and the services
    /// that call this one run (the VPC's range on AWS). A request from anywhere else is counted under its own address.
    /// </summary>
    [ConfigurationKeyName("TRUSTED_PROXY_NETWORKS"), Required]
    public string TrustedProxyNetworks { get; set; } = LoopbackNetworks;

    public IReadOnlyList<IPNetwork> TrustedNetworks() => [.. TrustedNetworkEntries().Select(entry => IPNetwork.Parse(entry))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var entries = TrustedNetworkEntries();
        if (entries.Length == 0 || entries.Any(entry => !IPNetwork.TryParse(entry, out _)))
        {
            yield return new ValidationResult(
                "TRUSTED_PROXY_NETWORKS must be one or more CIDR ranges separated by commas, such as 10.0.0.0/16.", [nameof(TrustedProxyNetworks)]);
        }
    }

    private string[] TrustedNetworkEntries() =>
        TrustedProxyNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static Microsoft.Extensions.Logging.LogLevel ParseLogLevel(string? level) => level?.ToUpperInvariant() switch
    {
        "TRACE" => Microsoft.Extensions.Logging.LogLevel.Trace,
        "DEBUG" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "WARN" or "WARNING" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "ERROR" => Microsoft.Extensions.Logging.LogLevel.Error,
        "CRITICAL" => Microsoft.Extensions.Logging.LogLevel.Critical,
        "NONE" => Microsoft.Extensions.Logging.LogLevel.None,
        _ => Microsoft.Extensions.Logging.LogLevel.Information,
    };
}
