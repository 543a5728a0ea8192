using System.Text.Json;

namespace Security.Tests;

/// <summary>A parameter of an operation, as its OpenAPI document declares it.</summary>
public sealed record Parameter(string Name, string In, JsonElement Schema);

/// <summary>One operation of a service's OpenAPI document, with its schemas' references resolved on demand.</summary>
public sealed record Operation(string Service, string Method, string Path, IReadOnlyList<Parameter> Parameters, JsonElement? Body, OpenApiDocument Document)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>A service's <c>/openapi/v1.json</c>: what it says it answers.</summary>
public sealed class OpenApiDocument(string service, JsonElement root)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public string Service { get; } = service;

    public JsonElement Root { get; } = root;

    /// <summary>Fetched from each service itself: the load balancer routes only <c>/api/…</c> and <c>/health/…</c>.</summary>
    public static async Task<IReadOnlyList<OpenApiDocument>> FetchAllAsync(Stack stack) =>
        await Task.WhenAll(Stack.Services.Select(async service =>
            new OpenApiDocument(service, JsonDocument.Parse(await stack.Direct(service).GetStringAsync("/openapi/v1.json")).RootElement)));

    public IEnumerable<Operation> Operations()
    {
        foreach (var path in Root.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var common) ? common.EnumerateArray().ToList() : [];
            foreach (var entry in path.Value.EnumerateObject().Where(entry => Methods.Contains(entry.Name)))
            {
                var parameters = shared.Concat(entry.Value.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : [])
                    .Select(Resolve)
                    .Select(p => new Parameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var schema) ? Resolve(schema) : default))
                    .ToList();
                JsonElement? body = entry.Value.TryGetProperty("requestBody", out var requestBody)
                    && Resolve(requestBody).TryGetProperty("content", out var content)
                    && content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal))
                        is { Value.ValueKind: JsonValueKind.Object } json
                    && json.Value.TryGetProperty("schema", out var bodySchema)
                        ? Resolve(bodySchema)
                        : null;
                yield return new Operation(Service, entry.Name.ToUpperInvariant(), path.Name, parameters, body, this);
            }
        }
    }

    /// <summary>Follows <c>$ref</c> (only local ones: <c>#/components/…</c>) until a definition.</summary>
    public JsonElement Resolve(JsonElement element)
    {
        for (var hops = 0; element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference); hops++)
        {
            if (hops > 32)
            {
                throw new InvalidOperationException($"{Service}: $ref cycle at {reference}");
            }

            element = reference.GetString()!.TrimStart('#', '/').Split('/').Aggregate(Root, (node, name) =>
                node.GetProperty(name.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
        }

        return element;
    }

    /// <summary>The schema's type, nullability aside: OpenAPI 3.1 writes <c>["integer", "null"]</c>; 3.0 a <c>oneOf</c> or <c>nullable</c>.</summary>
    public string TypeOf(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "any";
        }

        if (schema.TryGetProperty("type", out var type))
        {
            return type.ValueKind == JsonValueKind.Array
                ? type.EnumerateArray().Select(t => t.GetString()!).FirstOrDefault(t => t != "null") ?? "null"
                : type.GetString()!;
        }

        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                return options.EnumerateArray().Select(TypeOf).FirstOrDefault(t => t is not "null" and not "any") ?? "any";
            }
        }

        if (schema.TryGetProperty("properties", out _))
        {
            return "object";
        }

        return schema.TryGetProperty("enum", out _) ? "string" : "any";
    }

    /// <summary>The schema itself, or the non-null one of a 3.1 <c>oneOf/anyOf</c>, resolved.</summary>
    public JsonElement Unwrap(JsonElement schema)
    {
        schema = Resolve(schema);
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(combinator, out var options)
                && options.EnumerateArray().Select(Resolve).FirstOrDefault(o => TypeOf(o) is not "null" and not "any")
                    is { ValueKind: JsonValueKind.Object } chosen)
            {
                return chosen;
            }
        }

        return schema;
    }

    /// <summary>Every property name a request body can carry, at any depth ("items[].productId" as "productId").</summary>
    public IEnumerable<string> PropertyNames(JsonElement schema, int depth = 0)
    {
        schema = Unwrap(schema);
        if (depth > 8 || schema.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                yield return property.Name;
                foreach (var inner in PropertyNames(property.Value, depth + 1))
                {
                    yield return inner;
                }
            }
        }

        if (schema.TryGetProperty("items", out var items))
        {
            foreach (var inner in PropertyNames(items, depth + 1))
            {
                yield return inner;
            }
        }
    }
}
