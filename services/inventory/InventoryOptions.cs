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
    [ConfigurationKeyName("ASSETS_CDN_DOMAIN"), RegularExpression(@"^[a-z0-9.-]+$",
        ErrorMessage = "ASSETS_CDN_DOMAIN is a host name such as d111111abcdef8.cloudfront.net.")]
    public string? AssetsCdnDomain { get; set; }

    /// <summary>Where <c>reservation.commit_failed</c> goes: the payments service's queue (required by <c>AddSqsQueue</c>).</summary>
    [ConfigurationKeyName("PAYMENTS_QUEUE")]
    public string PaymentsQueue { get; set; } = "";

    /// <summary>How often the sweeper looks for expired reservations, in seconds.</summary>
    [ConfigurationKeyName("RESERVATION_SWEEP_SECONDS"), Range(1, 3600)]
    public int ReservationSweepSeconds { get; set; } = 5;

    public const string MaxPendingReservationsVariable = "MAX_PENDING_RESERVATIONS_PER_CUSTOMER";
    public const string MaxUnitsPerProductVariable = "MAX_UNITS_PER_PRODUCT_PER_CUSTOMER";

    /// <summary>
    /// How many pending reservations one customer may have at once: a checkout needs one; comparing two stores or
    /// splitting an order takes a few more.
    /// </summary>
    [ConfigurationKeyName(MaxPendingReservationsVariable), Range(1, 1_000_000)]
    public int MaxPendingReservationsPerCustomer { get; set; } = 5;

    /// <summary>
    /// How many units of one product at one store one customer may hold across their pending reservations: a
    /// household's or a small office's order, not a store's whole shelf.
    /// </summary>
    [ConfigurationKeyName(MaxUnitsPerProductVariable), Range(1, 1_000_000)]
    public int MaxUnitsPerProductPerCustomer { get; set; } = 10;
}
