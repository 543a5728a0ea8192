using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Platform.Redis;

public sealed class RedisOptions
{
    /// <summary><c>redis://[user:password@]host:port[/db]</c>, or <c>rediss://</c> for TLS (ElastiCache in transit encryption).</summary>
    [ConfigurationKeyName("REDIS_URL"), Required(ErrorMessage = "REDIS_URL is required (redis://host:6379 or rediss://...).")]
    [RegularExpression("^rediss?://.+", ErrorMessage = "REDIS_URL must start with redis:// or rediss://.")]
    public string Url { get; set; } = "";

    /// <summary>Milliseconds a Redis call may take before the cache gives up and goes to PostgreSQL.</summary>
    [ConfigurationKeyName("REDIS_TIMEOUT_MS"), Range(50, 30_000)]
    public int TimeoutMilliseconds { get; set; } = 1000;

    /// <summary>Prepended to every key; the service's name and a colon unless set, so services can share a cluster.</summary>
    [ConfigurationKeyName("REDIS_KEY_PREFIX"), RegularExpression("^[A-Za-z0-9_.:-]{1,64}$",
        ErrorMessage = "REDIS_KEY_PREFIX may hold letters, digits and _.:- (at most 64).")]
    public string? KeyPrefix { get; set; }
}
