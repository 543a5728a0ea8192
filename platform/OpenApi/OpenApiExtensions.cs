using Microsoft.Extensions.DependencyInjection;

namespace Platform.OpenApi;

public static class OpenApiExtensions
{
    /// <summary>
    /// The service's OpenAPI document (<c>GET /openapi/v1.json</c>), completed from what the platform itself enforces, so
    /// it tells the truth without each endpoint repeating it: the bearer scheme and each operation's security and roles
    /// from its authorization metadata, every error response the platform can give, and the bounds of ids.
    /// </summary>
    internal static IServiceCollection AddPlatformOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<PlatformDocumentTransformer>();
            options.AddOperationTransformer<AuthorizationOperationTransformer>();
            options.AddOperationTransformer<ErrorResponsesOperationTransformer>();
            options.AddOperationTransformer<PagingParametersTransformer>();
            options.AddSchemaTransformer<IdentifierSchemaTransformer>();
        });
}
