using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.OpenApi;

/// <summary>
/// An operation's security, read from the endpoint's authorization metadata as the authorization middleware reads it:
/// an endpoint that requires authorization gets the bearer requirement, 401 and 403, and the roles its policies allow
/// (in its description and in <c>x-roles</c>); an anonymous one gets none.
/// </summary>
internal sealed class AuthorizationOperationTransformer(IAuthorizationPolicyProvider policies) : IOpenApiOperationTransformer
{
    public const string RolesExtension = "x-roles";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policy = metadata.OfType<IAllowAnonymous>().Any()
            ? null
            : await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>());
        if (policy is null)
        {
            AppendToDescription(operation, "Anonymous: no token is needed.");
            return;
        }

        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PlatformDocumentTransformer.BearerScheme, context.Document)] = [] },
        ];
        operation.Responses ??= new OpenApiResponses();
        ErrorResponses.AddProblem(operation, StatusCodes.Status401Unauthorized, "No bearer token, or one that is invalid or expired.");

        // Each roles requirement must be met, so the roles that pass are those every requirement allows.
        var roleSets = policy.Requirements.OfType<RolesAuthorizationRequirement>().Select(r => r.AllowedRoles.ToHashSet(StringComparer.Ordinal)).ToList();
        if (roleSets.Count == 0)
        {
            return;
        }

        var roles = roleSets.Aggregate((allowed, next) => [.. allowed.Intersect(next, StringComparer.Ordinal)]).Order(StringComparer.Ordinal).ToList();
        ErrorResponses.AddProblem(operation, StatusCodes.Status403Forbidden, "The token's role is not allowed to do this.");
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[RolesExtension] = new JsonNodeExtension(new JsonArray([.. roles.Select(role => JsonValue.Create(role))]));
        AppendToDescription(operation, $"Requires a bearer token whose role is {string.Join(" or ", roles)}.");
    }

    private static void AppendToDescription(OpenApiOperation operation, string sentence) =>
        operation.Description = operation.Description is { Length: > 0 } description ? $"{description} {sentence}" : sentence;
}
