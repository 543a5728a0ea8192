using System.ComponentModel.DataAnnotations;

namespace Inventory;

public sealed class InventoryOptions
{
    /// <summary>How long a reservation holds stock while its customer pays, in seconds.</summary>
    [ConfigurationKeyName("RESERVATION_TTL"), Range(10, 86_400)]
    public int ReservationTtlSeconds { get; set; } = 900;

    /// <summary>Product images (required by <c>AddS3Bucket</c>).</summary>
    [ConfigurationKeyName("ASSETS_BUCKET")]
    public string AssetsBucket { get; set; } = "";

    /// <summary>A CloudFront domain in front of the bucket; when set, image URLs are https://&lt;domain&gt;/&lt;key&gt; instead of presigned S3 URLs.</summary>
    [ConfigurationKeyName("ASSETS_CDN_DOMAIN"), RegularExpression(@"^[a-z0-9.-]+$", ErrorMessage = "ASSETS_CDN_DOMAIN is a host name such as d111111abcdef8.cloudfront.net.")]
    public string? AssetsCdnDomain { get; set; }

    /// <summary>Where <c>reservation.commit_failed</c> goes: the payments service's queue (required by <c>AddSqsQueue</c>).</summary>
    [ConfigurationKeyName("PAYMENTS_QUEUE")]
    public string PaymentsQueue { get; set; } = "";

    /// <summary>How often the sweeper looks for expired reservations, in seconds.</summary>
    [ConfigurationKeyName("RESERVATION_SWEEP_SECONDS"), Range(1, 3600)]
    public int ReservationSweepSeconds { get; set; } = 5;
}
