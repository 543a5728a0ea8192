using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Storefront.Clients;

namespace Storefront.Components.Pages.Admin;

// What the admin pages' forms hold. They check only what a form needs to be sent; inventory and locations check the
// rest (a SKU's shape, a time zone, overlapping hours) and their refusal, naming the field, is shown on the form.

public sealed class ProductForm
{
    [Required, MaxLength(64)]
    public string Sku { get; set; } = "";

    [Required, MaxLength(200)]
    public string Name { get; set; } = "";

    [MaxLength(4000)]
    public string? Description { get; set; }

    [Required, MaxLength(64)]
    public string Category { get; set; } = "";

    [Required, Range(typeof(decimal), "0", "1000000000")]
    public decimal? Price { get; set; }

    [Required, Length(3, 3)]
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
    [Required, MaxLength(200)]
    public string Name { get; set; } = "";

    [Required, MaxLength(500)]
    public string Address { get; set; } = "";

    [Required, MaxLength(100)]
    public string City { get; set; } = "";

    [Required, Length(2, 2)]
    public string Country { get; set; } = "";

    [Required, Range(-90.0, 90.0)]
    public double? Latitude { get; set; }

    [Required, Range(-180.0, 180.0)]
    public double? Longitude { get; set; }

    [Required, MaxLength(64)]
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>One interval a line, in the store's time zone: <c>monday 09:00-18:00</c>.</summary>
    [MaxLength(4000)]
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
        && Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var dayOfWeek) && !int.TryParse(day, CultureInfo.InvariantCulture, out _)
        && times.Split('-') is [var opens, var closes]
            ? new OpeningInterval(dayOfWeek, opens, closes)
            : null;
}
