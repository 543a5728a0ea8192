using System.Text.RegularExpressions;

namespace Inventory.Domain;

/// <summary>What a product's fields must be; the errors are keyed by field, for a 400.</summary>
public static partial class ProductRules
{
    public static Dictionary<string, string[]>? Errors(string? sku, string? name, string? description, string? category, long? priceCents, string? currency)
    {
        var errors = new Dictionary<string, string[]>();
        if (sku is null || !SkuPattern().IsMatch(sku))
        {
            errors["sku"] = ["sku is required: 1 to 64 capital letters, digits and dashes."];
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            errors["name"] = ["name is required, at most 200 characters."];
        }

        if (description is { Length: > 4000 })
        {
            errors["description"] = ["description is at most 4000 characters."];
        }

        if (category is null || !CategoryPattern().IsMatch(category))
        {
            errors["category"] = ["category is required: 1 to 64 lower-case letters, digits and dashes."];
        }

        if (priceCents is null or < 0)
        {
            errors["priceCents"] = ["priceCents is required: the price in minor units, 0 or more."];
        }

        if (currency is null || !CurrencyPattern().IsMatch(currency))
        {
            errors["currency"] = ["currency is required: an ISO 4217 code such as EUR."];
        }

        return errors.Count == 0 ? null : errors;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{0,63}$")]
    private static partial Regex SkuPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex CategoryPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}
