using Customers.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Customers.Apis;

public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/customers/.well-known/jwks.json", GetKeys).AllowAnonymous().WithTags("Keys")
            .WithName("GetSigningKeys").WithSummary("The public keys that verify access tokens (JWKS); during a rotation, the old and the new.");
        return endpoints;
    }

    private static async Task<Ok<JwksDocument>> GetKeys(SigningKeys keys, HttpContext http, CancellationToken cancellationToken)
    {
        var ring = await keys.GetAsync(cancellationToken);
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new JwksDocument([.. ring.Keys.Select(PublicJwk.From)]));
    }
}

public sealed record JwksDocument(IReadOnlyList<PublicJwk> Keys);

/// <summary>The public members of an EC JSON Web Key (RFC 7517/7518): tokens are signed with ES256 only.</summary>
public sealed record PublicJwk(string Kty, string Use, string Alg, string Kid, string Crv, string X, string Y)
{
    public static PublicJwk From(PublishedKey key) =>
        new(key.Jwk.Kty, "sig", key.Algorithm, key.KeyId, key.Jwk.Crv, key.Jwk.X, key.Jwk.Y);
}
