namespace Inventory.Domain;

/// <summary>A product in the catalogue. Prices are in minor units of <see cref="Currency"/>.</summary>
public sealed class Product
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Sku { get; set; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public required string Category { get; set; }

    public long PriceCents { get; set; }

    public required string Currency { get; set; }

    /// <summary>The S3 keys of its images, in the order they were added.</summary>
    public List<string> ImageKeys { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
