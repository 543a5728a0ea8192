using System.Text.RegularExpressions;
using Platform.Api;

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

    public static ValidationErrors? Errors(string? sku, string? name, string? description, string? category, long? priceCents, string? currency)
    {
        var errors = new ValidationErrors();
        if (sku is null || !SkuPattern().IsMatch(sku))
        {
            errors.Add("sku", "sku is required: 1 to 64 capital letters, digits and dashes.");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            errors.Add("name", $"name is required, at most {MaxNameLength} characters.");
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add("description", $"description is at most {MaxDescriptionLength} characters.");
        }

        if (category is null || !CategoryPattern().IsMatch(category))
        {
            errors.Add("category", "category is required: 1 to 64 lower-case letters, digits and dashes.");
        }

        if (priceCents is null or < 0)
        {
            errors.Add("priceCents", "priceCents is required: the price in minor units, 0 or more.");
        }

        if (currency is null || !CurrencyPattern().IsMatch(currency))
        {
            errors.Add("currency", "currency is required: an ISO 4217 code such as EUR.");
        }

        return errors.NullIfEmpty();
    }

    [GeneratedRegex(SkuPatternText)]
    private static partial Regex SkuPattern();

    [GeneratedRegex(CategoryPatternText)]
    private static partial Regex CategoryPattern();

    [GeneratedRegex(CurrencyPatternText)]
    private static partial Regex CurrencyPattern();
}
