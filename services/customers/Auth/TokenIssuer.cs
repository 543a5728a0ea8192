using Customers.Domain;
using Microsoft.Extensions.Options;

namespace Customers.Auth;

/// <summary><c>{ accessToken, tokenType, expiresIn, refreshToken }</c>, as login and refresh answer.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

/// <summary>Answers a login or a refresh with a session's tokens; such responses are never stored by a cache.</summary>
public sealed class TokenIssuer(Sessions sessions, AccessTokens accessTokens, IOptions<CustomersOptions> options)
{
    public async Task<TokenResponse> StartSessionAsync(Customer customer, HttpContext http, CancellationToken cancellationToken) =>
        await ContinueSessionAsync(customer, await sessions.StartAsync(customer.Id), http, cancellationToken);

    public async Task<TokenResponse> ContinueSessionAsync(Customer customer, SessionGrant session, HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        var accessToken = await accessTokens.IssueAsync(customer, session.SessionId, cancellationToken);
        return new TokenResponse(accessToken, "Bearer", options.Value.AccessTokenLifetimeSeconds, session.RefreshToken);
    }
}
