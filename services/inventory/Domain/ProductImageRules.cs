using Platform.Api;

namespace Inventory.Domain;

/// <summary>What a product image may be: a JPEG, PNG or WebP of at most 25 MB (the seed's upload limit), ten per product.</summary>
public static class ProductImageRules
{
    public const long MaxBytes = 25 * 1024 * 1024;
    public const int MaxImagesPerProduct = 10;

    /// <summary>The longest last part of a key: a version 7 GUID, a dot and the longest extension below.</summary>
    public const int MaxFileLength = 36 + 1 + 4;

    /// <summary>The longest of the content types below, for the OpenAPI document.</summary>
    public const int MaxContentTypeLength = 10;

    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        ["image/jpeg"] = "jpg",
        ["image/png"] = "png",
        ["image/webp"] = "webp",
    };

    public static ValidationErrors? Errors(string? contentType, long? contentLength)
    {
        var errors = new ValidationErrors();
        if (contentType is null || !Extensions.ContainsKey(contentType))
        {
            errors.Add("contentType", "contentType is required: image/jpeg, image/png or image/webp.");
        }

        if (contentLength is not (> 0 and <= MaxBytes))
        {
            errors.Add("contentLength", $"contentLength is required: the image's size in bytes, 1 to {MaxBytes} (25 MB).");
        }

        return errors.NullIfEmpty();
    }

    /// <summary>A new, unguessable key under the product's prefix, with the extension its type has.</summary>
    public static string NewKey(Guid productId, string contentType) => $"products/{productId}/{Guid.CreateVersion7()}.{Extensions[contentType]}";
}
