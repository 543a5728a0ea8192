using System.Text.RegularExpressions;

namespace Inventory.Domain;

/// <summary>
/// What a product's fields must be; the errors are keyed by field, for a 400. The constants are public so the request's
/// attributes state the same bounds in the OpenAPI document.
/// </summary>
public static partial class ProductRules
{
    public const string SkuPatternText = "^[A-Z0-9][A-Z0-9-]{0,63}$";
    public const int MaxSkuLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const string CategoryPatternText = "^[a-z0-9][a-z0-9-]{0,63}$";
    public const int MaxCategoryLength = 64;
    public const string CurrencyPatternText = "^[A-Z]{3}$";
    public const int CurrencyLength = 3;

    public static Dictionary<string, string[]>? Errors(string? sku, string? name, string? description, string? category, long? priceCents, string? currency)
    {
        var errors = new Dictionary<string, string[]>();
        if (sku is null || !SkuPattern().IsMatch(sku))
        {
            errors["sku"] = ["sku is required: 1 to 64 capital letters, digits and dashes."];
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            errors["name"] = [$"name is required, at most {MaxNameLength} characters."];
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"description is at most {MaxDescriptionLength} characters."];
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

    [GeneratedRegex(SkuPatternText)]
    private static partial Regex SkuPattern();

    [GeneratedRegex(CategoryPatternText)]
    private static partial Regex CategoryPattern();

    [GeneratedRegex(CurrencyPatternText)]
    private static partial Regex CurrencyPattern();
}
