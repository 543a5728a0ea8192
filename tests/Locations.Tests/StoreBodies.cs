using System.Text.Json.Nodes;

namespace Locations.Tests;

/// <summary>Request bodies for stores, valid unless a test changes them.</summary>
internal static class StoreBodies
{
    public static JsonObject Store(
        string name = "MyComputer Test", string city = "Dublin", double latitude = 53.3417, double longitude = -6.2599,
        string timeZone = "Europe/Dublin", params JsonObject[] openingHours) => new()
    {
        ["name"] = name,
        ["address"] = "1 Test Street",
        ["city"] = city,
        ["country"] = "IE",
        ["latitude"] = latitude,
        ["longitude"] = longitude,
        ["timeZone"] = timeZone,
        ["openingHours"] = new JsonArray(openingHours.Length > 0 ? openingHours : [Interval("monday", "09:00", "18:00")]),
    };

    public static JsonObject Interval(string day, string opens, string closes) => new()
    {
        ["day"] = day,
        ["opens"] = opens,
        ["closes"] = closes,
    };

    /// <summary>A store saved straight to the database, for data sets too large to create through the API.</summary>
    public static Domain.Store Entity(string name, double latitude, double longitude) => new()
    {
        Name = name,
        Address = "1 Test Street",
        City = "Test",
        Country = "IE",
        Latitude = latitude,
        Longitude = longitude,
        TimeZone = "Europe/Dublin",
    };
}
