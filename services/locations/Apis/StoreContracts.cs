using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Locations.Domain;
using Platform.Api;

namespace Locations.Apis;

/// <summary>
/// A store as an admin creates or replaces it; every field is required (openingHours may be empty). The attributes state
/// <see cref="StoreRules"/>' bounds in the OpenAPI document; the rules enforce them.
/// </summary>
public sealed record StoreRequest(
    [property: MaxLength(StoreRules.MaxNameLength)] string? Name,
    [property: MaxLength(StoreRules.MaxAddressLength)] string? Address,
    [property: MaxLength(StoreRules.MaxCityLength)] string? City,
    [property: Length(StoreRules.CountryLength, StoreRules.CountryLength), RegularExpression(StoreRules.CountryPatternText)] string? Country,
    [property: Range(-StoreRules.MaxLatitude, StoreRules.MaxLatitude)] double? Latitude,
    [property: Range(-StoreRules.MaxLongitude, StoreRules.MaxLongitude)] double? Longitude,
    [property: MaxLength(StoreRules.MaxTimeZoneLength)] string? TimeZone,
    [property: MaxLength(OpeningHoursRules.MaxIntervals)] List<OpeningIntervalRequest?>? OpeningHours)
{
    public ValidationErrors? Errors() =>
        StoreRules.Errors(Name, Address, City, Country, Latitude, Longitude, TimeZone, OpeningHours?.Select(i => i?.ToInterval()).ToList());

    /// <summary>Copies the request onto <paramref name="store"/>; call it only once <see cref="Errors"/> is null.</summary>
    public void ApplyTo(Store store)
    {
        store.Name = Name!.Trim();
        store.Address = Address!.Trim();
        store.City = City!.Trim();
        store.Country = Country!;
        store.Latitude = Latitude!.Value;
        store.Longitude = Longitude!.Value;
        store.TimeZone = TimeZone!;
        store.SetOpeningHours(OpeningHours!.Select(i => i!.ToInterval()!));
    }

    public Store ToStore(Guid? id = null)
    {
        var store = new Store { Id = id ?? Guid.CreateVersion7(), Name = "", Address = "", City = "", Country = "", TimeZone = "" }; // ApplyTo sets them all
        ApplyTo(store);
        return store;
    }
}

/// <summary><c>{ "day": "friday", "opens": "22:00", "closes": "02:00" }</c>: local times, HH:mm.</summary>
public sealed record OpeningIntervalRequest(
    DayOfWeek? Day,
    [property: Length(OpeningIntervalRequest.TimeLength, OpeningIntervalRequest.TimeLength), RegularExpression(OpeningIntervalRequest.TimePattern)]
    string? Opens,
    [property: Length(OpeningIntervalRequest.TimeLength, OpeningIntervalRequest.TimeLength), RegularExpression(OpeningIntervalRequest.TimePattern)]
    string? Closes)
{
    private const string TimeFormat = "HH:mm";
    public const int TimeLength = 5;

    /// <summary>What <see cref="TimeFormat"/> reads: 00:00 to 23:59.</summary>
    public const string TimePattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    public OpeningInterval? ToInterval() =>
        Day is { } day && ParseTime(Opens) is { } opens && ParseTime(Closes) is { } closes ? new OpeningInterval(day, opens, closes) : null;

    private static TimeOnly? ParseTime(string? value) =>
        TimeOnly.TryParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}

public sealed record StoreResponse(
    Guid Id, string Name, string Address, string City, string Country, double Latitude, double Longitude, string TimeZone,
    IReadOnlyList<OpeningIntervalResponse> OpeningHours)
{
    public static StoreResponse From(Store store) => new(
        store.Id, store.Name, store.Address, store.City, store.Country, store.Latitude, store.Longitude, store.TimeZone,
        [.. store.OpeningHours.Select(OpeningIntervalResponse.From)]);
}

/// <summary>A city that has stores, and how many (<c>?city=</c> on the list gives them).</summary>
public sealed record CityResponse(string Name, int Stores);

public sealed record OpeningIntervalResponse(DayOfWeek Day, string Opens, string Closes)
{
    public static OpeningIntervalResponse From(OpeningInterval interval) => new(
        interval.Day,
        interval.Opens.ToString("HH:mm", CultureInfo.InvariantCulture),
        interval.Closes.ToString("HH:mm", CultureInfo.InvariantCulture));
}

/// <summary>A store found by a nearby search: the store and its great-circle distance, in kilometres to the metre.</summary>
public sealed record NearbyStoreResponse(
    Guid Id, string Name, string Address, string City, string Country, double Latitude, double Longitude, string TimeZone,
    IReadOnlyList<OpeningIntervalResponse> OpeningHours, double DistanceKm)
{
    public static NearbyStoreResponse From(StoreResponse store, double metres) => new(
        store.Id, store.Name, store.Address, store.City, store.Country, store.Latitude, store.Longitude, store.TimeZone,
        store.OpeningHours, Math.Round(metres / 1000, 3));
}
