using System.Text.Json.Serialization;
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

/// <summary>The public members of a JSON Web Key (RFC 7517/7518): EC keys carry crv, x, y; RSA keys n, e.</summary>
public sealed record PublicJwk(
    string Kty,
    string Use,
    string Alg,
    string Kid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Crv,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? N,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? E)
{
    public static PublicJwk From(PublishedKey key) =>
        new(key.Jwk.Kty, "sig", key.Algorithm, key.KeyId, key.Jwk.Crv, key.Jwk.X, key.Jwk.Y, key.Jwk.N, key.Jwk.E);
}
