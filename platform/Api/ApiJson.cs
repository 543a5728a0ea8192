using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Api;

/// <summary>
/// The JSON of the API (docs/api.md): camelCase, enums as snake_case strings ("requires_payment_method"), numbers only
/// as JSON numbers.
/// </summary>
public static class ApiJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static readonly JsonSerializerOptions Options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Enums by snake_case name; a number or an unknown name is refused (a 400 in a request).</summary>
    public static JsonStringEnumConverter EnumsAsNames() => new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);

    /// <summary>
    /// The API's rules on top of the web defaults. A number sent as a string ("quantity": "5") is a wrong type, a 400, as
    /// the contract says; the web defaults would read it, and the OpenAPI document would have to offer every number as a
    /// string too.
    /// </summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.Converters.Add(EnumsAsNames());
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
