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

    /// <summary>A token for <paramref name="customer"/>'s session, with their role, valid for <c>ACCESS_TOKEN_LIFETIME_SECONDS</c>.</summary>
    public Task<string> IssueAsync(Customer customer, string sessionId, CancellationToken cancellationToken) =>
        CreateAsync(customer, customer.Role, sessionId, options.Value.AccessTokenLifetime, cancellationToken);

    /// <summary>
    /// A token with which this service acts for <paramref name="customer"/> as a plain customer, whatever their role, for
    /// <paramref name="lifetime"/>; <paramref name="purpose"/> stands where a session id would (no session backs it).
    /// </summary>
    public Task<string> IssueOnBehalfOfAsync(Customer customer, string purpose, TimeSpan lifetime, CancellationToken cancellationToken) =>
        CreateAsync(customer, Roles.Customer, purpose, lifetime, cancellationToken);

    private async Task<string> CreateAsync(Customer customer, string role, string sessionId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var ring = await keys.GetAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Value.Issuer,
            Audience = jwt.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = customer.Id.ToString(),
                ["email"] = customer.Email,
                ["role"] = role,
                [SessionClaim] = sessionId,
                ["jti"] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = ring.Signing,
        });
    }
}
