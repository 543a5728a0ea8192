namespace Locations.Domain;

/// <summary>A store of the chain, with its position and the IANA time zone its opening hours are in.</summary>
public sealed class Store
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public required string Address { get; set; }

    public required string City { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string Country { get; set; }

    public double Latitude { get; set; }

    public double Longitude { get; set; }

    public required string TimeZone { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
