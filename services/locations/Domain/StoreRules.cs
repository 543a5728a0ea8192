using System.Text.RegularExpressions;
using Platform.Api;

namespace Locations.Domain;

/// <summary>
/// What a store's fields must be; the errors are keyed by field, for a 400. The constants are public so the request's
/// attributes state the same bounds in the OpenAPI document.
/// </summary>
public static partial class StoreRules
{
    public const int MaxNameLength = 200;
    public const int MaxAddressLength = 400;
    public const int MaxCityLength = 100;
    public const string CountryPatternText = "^[A-Z]{2}$";
    public const int CountryLength = 2;
    public const int MaxTimeZoneLength = 64;
    public const double MaxLatitude = 90;
    public const double MaxLongitude = 180;

    /// <param name="openingHours">The intervals as given, null where one could not be read.</param>
    public static ValidationErrors? Errors(
        string? name, string? address, string? city, string? country, double? latitude, double? longitude, string? timeZone,
        IReadOnlyList<OpeningInterval?>? openingHours)
    {
        var errors = new ValidationErrors();
        Require(errors, "name", name, MaxNameLength);
        Require(errors, "address", address, MaxAddressLength);
        Require(errors, "city", city, MaxCityLength);
        if (country is null || !CountryPattern().IsMatch(country))
        {
            errors.Add("country", "country is required: an ISO 3166-1 alpha-2 code such as IE.");
        }

        if (latitude is not (>= -MaxLatitude and <= MaxLatitude))
        {
            errors.Add("latitude", $"latitude is required, in degrees from -{MaxLatitude} to {MaxLatitude}.");
        }

        if (longitude is not (>= -MaxLongitude and <= MaxLongitude))
        {
            errors.Add("longitude", $"longitude is required, in degrees from -{MaxLongitude} to {MaxLongitude}.");
        }

        if (!IsIanaTimeZone(timeZone))
        {
            errors.Add("timeZone", "timeZone is required: an IANA time zone such as Europe/Dublin.");
        }

        AddOpeningHoursErrors(errors, openingHours);
        return errors.NullIfEmpty();
    }

    private static void Require(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            errors.Add(field, $"{field} is required, at most {maxLength} characters.");
        }
    }

    private static bool IsIanaTimeZone(string? id) =>
        id is { Length: > 0 and <= MaxTimeZoneLength } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    private static void AddOpeningHoursErrors(ValidationErrors errors, IReadOnlyList<OpeningInterval?>? openingHours)
    {
        if (openingHours is null || openingHours.Count > OpeningHoursRules.MaxIntervals)
        {
            errors.Add("openingHours",
                $"openingHours is required: at most {OpeningHoursRules.MaxIntervals} intervals (an empty list for a store that is never open).");
            return;
        }

        for (var i = 0; i < openingHours.Count; i++)
        {
            if (openingHours[i] is null)
            {
                errors.Add($"openingHours[{i}]", "An interval needs a day and opens and closes as HH:mm (00:00 to 23:59).");
            }
        }

        if (errors.ByField.Keys.Any(key => key.StartsWith("openingHours", StringComparison.Ordinal)))
        {
            return;
        }

        foreach (var i in OpeningHoursRules.Overlapping([.. openingHours.Select(interval => interval!)]))
        {
            errors.Add($"openingHours[{i}]", "This interval overlaps another one; a store's intervals may touch but not overlap.");
        }
    }

    [GeneratedRegex(CountryPatternText)]
    private static partial Regex CountryPattern();
}
