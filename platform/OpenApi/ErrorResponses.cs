using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Platform.OpenApi;

/// <summary>Declaring a problem response on an operation.</summary>
internal static class ErrorResponses
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>Adds the response unless the endpoint declared it; either way it ends up with a problem body.</summary>
    public static OpenApiResponse AddProblem(
        OpenApiOperation operation, int status, string description, string schema = PlatformDocumentTransformer.ProblemSchema)
    {
        operation.Responses ??= new OpenApiResponses();
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(key, out var declared) || declared is not OpenApiResponse response)
        {
            response = new OpenApiResponse { Description = description };
            operation.Responses[key] = response;
        }

        WithProblemBody(response, schema);
        return response;
    }

    /// <summary>
    /// An error response the endpoint declared without a body (<c>TypedResults.NotFound()</c>, say) still has one: the
    /// status code pages write a problem for every empty error response.
    /// </summary>
    public static void WithProblemBody(OpenApiResponse response, string schema = PlatformDocumentTransformer.ProblemSchema)
    {
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        if (response.Content.Count == 0)
        {
            response.Content[ProblemContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schema) };
        }
    }

    /// <summary><c>Retry-After</c> in seconds, as <c>RetryAfter.SetRetryAfter</c> writes it: a whole number, at least 1.</summary>
    public static void WithRetryAfter(OpenApiResponse response)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
        };
    }

    public static bool IsError(string statusKey) =>
        int.TryParse(statusKey, System.Globalization.CultureInfo.InvariantCulture, out var status) && status >= StatusCodes.Status400BadRequest;
}
