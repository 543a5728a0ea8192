using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.OpenApi;

/// <summary>An id is a UUID (docs/api.md): 36 characters in its canonical form, which is what JSON binding accepts.</summary>
internal sealed class IdentifierSchemaTransformer : IOpenApiSchemaTransformer
{
    public const int UuidLength = 36;

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Format == "uuid" && schema.Type?.HasFlag(JsonSchemaType.String) == true)
        {
            schema.MaxLength ??= UuidLength;
        }

        return Task.CompletedTask;
    }
}
