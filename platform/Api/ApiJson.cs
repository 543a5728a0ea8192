using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Api;

/// <summary>The JSON of the API (docs/api.md): camelCase, enums as snake_case strings ("requires_payment_method").</summary>
public static class ApiJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { EnumsAsNames() } };

    /// <summary>Enums by snake_case name; a number or an unknown name is refused (a 400 in a request).</summary>
    public static JsonStringEnumConverter EnumsAsNames() => new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
}
