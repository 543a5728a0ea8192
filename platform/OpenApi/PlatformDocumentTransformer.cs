using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.Hosting;

namespace Platform.OpenApi;

/// <summary>What every document states once: where it is served, the bearer scheme, and the shape of a problem.</summary>
internal sealed class PlatformDocumentTransformer(ServiceIdentity service) : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";
    public const string ProblemSchema = nameof(ProblemDetails);
    public const string ValidationProblemSchema = nameof(HttpValidationProblemDetails);

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Description = $"The {service.Name} service's HTTP API. Every error is an RFC 9457 problem (application/problem+json) "
            + "with a traceId; docs/api.md is the contract.";
        // The document is served by every environment behind its own load balancer, which routes /api/<service> here:
        // its paths are relative to wherever it was fetched from, not to this task's own address.
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = "The load balancer that served this document (local, staging or production alike).",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            },
        ];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /api/customers/login (or /refresh), checked as RFC8725 advises: only ES256 "
                + "signatures from the customers service's published keys (never alg none or a symmetric key), issuer, audience "
                + "and expiry validated. Its role claim is customer or admin.",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        await AddProblemSchemaAsync(document, context, ProblemSchema, typeof(ProblemDetails), cancellationToken);
        await AddProblemSchemaAsync(document, context, ValidationProblemSchema, typeof(HttpValidationProblemDetails), cancellationToken);
    }

    private static async Task AddProblemSchemaAsync(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, string name, Type type, CancellationToken cancellationToken)
    {
        if (!document.Components!.Schemas!.TryGetValue(name, out var existing) || existing is not OpenApiSchema schema)
        {
            schema = await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken);
            document.Components.Schemas[name] = schema;
        }

        // Added to every problem by the platform's problem details service (AddPlatformProblemDetails).
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The request's trace id, to find it in the logs.",
        };
    }
}
