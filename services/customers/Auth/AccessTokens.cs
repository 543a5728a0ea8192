using Customers.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Security;

namespace Customers.Auth;

/// <summary>Mints short-lived access tokens: <c>sub</c>, <c>email</c>, <c>role</c> and the session (<c>sid</c>) they belong to.</summary>
public sealed class AccessTokens(SigningKeys keys, IOptions<JwtOptions> jwt, IOptions<CustomersOptions> options, TimeProvider time)
{
    public const string SessionClaim = "sid";

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>A token for <paramref name="customer"/>'s session, valid for <paramref name="lifetime"/> (by default <c>ACCESS_TOKEN_LIFETIME_SECONDS</c>).</summary>
    public async Task<string> IssueAsync(Customer customer, string sessionId, CancellationToken cancellationToken, TimeSpan? lifetime = null)
    {
        var ring = await keys.GetAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Value.Issuer,
            Audience = jwt.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? options.Value.AccessTokenLifetime),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = customer.Id.ToString(),
                ["email"] = customer.Email,
                ["role"] = customer.Role,
                [SessionClaim] = sessionId,
                ["jti"] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = ring.Signing,
        });
    }
}
