using System.Text.Json;
using System.Text.Json.Nodes;

namespace Security.Tests;

/// <summary>
/// What the fuzz test puts in one place of a request at a time, and the valid values around it, so each malformed
/// value is what stops the request rather than a missing neighbour.
/// </summary>
public static class MalformedValues
{
    /// <summary>Bodies may be large; a URL is kept under Kestrel's 8 KB request line, past which the server refuses it before any of our code runs.</summary>
    public const int HugeBody = 100 * 1024;
    public const int HugeUrlValue = 4 * 1024;

    /// <summary>Raw JSON put in place of one value of a body, by what it tries.</summary>
    public static readonly IReadOnlyList<(string Name, string Json)> Json =
    [
        ("empty string", "\"\""),
        ("wrong type: number", "12345"),
        ("wrong type: string", "\"twelve\""),
        ("wrong type: boolean", "true"),
        ("wrong type: array", "[1,2]"),
        ("wrong type: object", "{\"a\":1}"),
        ("null", "null"),
        ("negative", "-1"),
        ("zero", "0"),
        ("int.MaxValue", "2147483647"),
        ("int.MaxValue + 1", "2147483648"),
        ("long.MaxValue", "9223372036854775807"),
        ("long overflow", "9223372036854775808"),
        ("long underflow", "-9223372036854775809"),
        ("double overflow", "1e309"),
        ("fraction", "0.5"),
        ("not a guid", "\"not-a-guid\""),
        ("empty guid", "\"00000000-0000-0000-0000-000000000000\""),
        ("NUL", "\"a\\u0000b\""),
        ("unpaired high surrogate", "\"a\\ud800b\""),
        ("unpaired low surrogate", "\"\\udc00\""),
        ("huge string", $"\"{new string('x', HugeBody)}\""),
        ("SQL", "\"' OR '1'='1'; --\""),
        ("LIKE wildcards", "\"%_\\\\%\""),
        ("bad date", "\"2024-13-45T99:99:99Z\""),
        ("deep nesting", new string('[', 5000) + new string(']', 5000)),
    ];

    /// <summary>Text put in place of one query, path or header value (already escaped for a URL).</summary>
    public static readonly IReadOnlyList<(string Name, string Text)> Url =
    [
        ("empty", ""),
        ("wrong type", "twelve"),
        ("negative", "-1"),
        ("zero", "0"),
        ("int.MaxValue", "2147483647"),
        ("int.MaxValue + 1", "2147483648"),
        ("long overflow", "9223372036854775808"),
        ("double overflow", "1e309"),
        ("NaN", "NaN"),
        ("not a guid", "not-a-guid"),
        ("NUL", "a%00b"),
        ("huge", new string('x', HugeUrlValue)),
        ("SQL", "%27%20OR%20%271%27%3D%271"),
        ("LIKE wildcards", "%25_%5C"),
        ("dot segments", "..%2F..%2Fetc%2Fpasswd"),
        ("repeated", "1&{name}=2"),
        ("brackets", "%5B%5D%7B%7D"),
    ];

    /// <summary>Whole bodies that are not what any operation takes.</summary>
    public static readonly IReadOnlyList<(string Name, string ContentType, byte[] Body)> Bodies =
    [
        ("truncated JSON", "application/json", "{\"a\":"u8.ToArray()),
        ("not JSON", "application/json", "not json at all"u8.ToArray()),
        ("empty JSON body", "application/json", []),
        ("JSON array", "application/json", "[]"u8.ToArray()),
        ("JSON null", "application/json", "null"u8.ToArray()),
        ("JSON number", "application/json", "42"u8.ToArray()),
        ("deeply nested JSON", "application/json", System.Text.Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000))),
        ("invalid UTF-8", "application/json", [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
        ("NUL byte in JSON", "application/json", "{\"a\":\"\0\"}"u8.ToArray()),
        ("text/plain", "text/plain", "{}"u8.ToArray()),
        ("XML", "application/xml", "<a/>"u8.ToArray()),
        ("form", "application/x-www-form-urlencoded", "a=1&b=2"u8.ToArray()),
        ("over the size limit", "application/json", System.Text.Encoding.ASCII.GetBytes($"{{\"a\":\"{new string('x', 2 * 1024 * 1024)}\"}}")),
    ];

    /// <summary>A valid value for <paramref name="schema"/>, taken from its name where the type says too little.</summary>
    public static JsonNode? Valid(OpenApiDocument document, string name, JsonElement schema, int depth = 0)
    {
        schema = document.Unwrap(schema);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText());
        }

        var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return document.TypeOf(schema) switch
        {
            "integer" => ValidNumber(name),
            "number" => ValidNumber(name),
            "boolean" => false,
            "array" when depth < 4 && schema.TryGetProperty("items", out var items) => new JsonArray(Valid(document, name, items, depth + 1)),
            "array" => new JsonArray(),
            "object" when depth < 4 => new JsonObject(schema.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Valid(document, p.Name, p.Value, depth + 1)))
                : []),
            _ when format == "uuid" || name.EndsWith("id", StringComparison.OrdinalIgnoreCase) => Guid.CreateVersion7().ToString(),
            _ when format == "date-time" => DateTimeOffset.UtcNow.ToString("O"),
            _ => ValidText(name),
        };
    }

    private static JsonNode ValidNumber(string name) => name.ToLowerInvariant() switch
    {
        "latitude" or "lat" => 53.34,
        "longitude" or "lon" => -6.25,
        "page" => 1,
        "pagesize" => 10,
        "contentlength" => 1024,
        _ => 1,
    };

    private static string ValidText(string name) => name.ToLowerInvariant() switch
    {
        "email" => $"fuzz-{Guid.NewGuid():N}@example.com",
        "password" => "a fuzzing password, long enough",
        "currency" => "EUR",
        "sku" => $"FUZZ-{Guid.NewGuid():N}".ToUpperInvariant(),
        "category" => "security-fuzz",
        "country" => "IE",
        "timezone" => "Europe/Dublin",
        "day" => "monday",
        "opens" => "09:00",
        "closes" => "18:00",
        "contenttype" => "image/png",
        "refreshtoken" => $"{Guid.NewGuid()}.not-a-secret",
        _ => $"zz fuzz {name}",
    };
}
