using System.ComponentModel.DataAnnotations;
using Storefront.Clients;

namespace Storefront.Components.Pages.Admin;

// What the admin pages' forms hold. They check only that each field is there; inventory and locations hold the rules
// (a SKU's shape, a name's length, a time zone, overlapping hours) and their refusal, naming the field, is shown.

public sealed class ProductForm
{
    [Required]
    public string Sku { get; set; } = "";

    [Required]
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    [Required]
    public string Category { get; set; } = "";

    [Required]
    public decimal? Price { get; set; }

    [Required]
    public string Currency { get; set; } = "EUR";

    public static ProductForm From(Product product) => new()
    {
        Sku = product.Sku,
        Name = product.Name,
        Description = product.Description,
        Category = product.Category,
        Price = product.PriceCents / 100m,
        Currency = product.Currency,
    };

    public ProductDetails ToDetails() => new(
        Sku.Trim(), Name.Trim(), Description?.Trim() ?? "", Category.Trim(), (long)Math.Round(Price!.Value * 100), Currency.Trim().ToUpperInvariant());
}

public sealed class StoreForm : IValidatableObject
{
    // A day by its name alone ("monday,tuesday" or "1" would parse as an enum, and mean another day).
    private static readonly Dictionary<string, DayOfWeek> Days =
        Enum.GetValues<DayOfWeek>().ToDictionary(day => day.ToString(), StringComparer.OrdinalIgnoreCase);

    [Required]
    public string Name { get; set; } = "";

    [Required]
    public string Address { get; set; } = "";

    [Required]
    public string City { get; set; } = "";

    [Required]
    public string Country { get; set; } = "";

    [Required]
    public double? Latitude { get; set; }

    [Required]
    public double? Longitude { get; set; }

    [Required]
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>One interval a line, in the store's time zone: <c>monday 09:00-18:00</c>.</summary>
    public string? OpeningHours { get; set; }

    public static StoreForm From(Store store) => new()
    {
        Name = store.Name,
        Address = store.Address,
        City = store.City,
        Country = store.Country,
        Latitude = store.Latitude,
        Longitude = store.Longitude,
        TimeZone = store.TimeZone,
        OpeningHours = string.Join('\n', store.OpeningHours
            .OrderBy(interval => ((int)interval.Day + 6) % 7)
            .Select(interval => $"{interval.Day.ToString().ToLowerInvariant()} {interval.Opens}-{interval.Closes}")),
    };

    public StoreDetails ToDetails() => new(
        Name.Trim(), Address.Trim(), City.Trim(), Country.Trim().ToUpperInvariant(), Latitude!.Value, Longitude!.Value, TimeZone.Trim(),
        [.. Lines().Select(line => Interval(line)!)]);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Lines().Select((line, index) => (line, index))
            .Where(entry => Interval(entry.line) is null)
            .Select(entry => new ValidationResult(
                $"Opening hours, line {entry.index + 1}: write a day and two times, as “monday 09:00-18:00”.", [nameof(OpeningHours)]));

    private string[] Lines() =>
        (OpeningHours ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static OpeningInterval? Interval(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var day, var times]
        && Days.TryGetValue(day, out var dayOfWeek)
        && times.Split('-') is [var opens, var closes]
            ? new OpeningInterval(dayOfWeek, opens, closes)
            : null;
}
