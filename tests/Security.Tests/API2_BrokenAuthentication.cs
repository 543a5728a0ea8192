using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Security.Tests;

/// <summary>
/// OWASP API2:2023, as far as a client of the load balancer can forge: tokens built from what customers publishes
/// (its JWKS) and from a real token, refresh secrets, and other people's failed logins. Expired and wrong-audience
/// tokens need customers' private key, so <c>Auth.Tests.TokenTests.API2_a_defective_token_is_401_on_every_service</c>
/// proves them in-process.
/// </summary>
public sealed class API2_BrokenAuthentication(Stack stack) : IClassFixture<Stack>
{
    /// <summary>One route per service that needs a token and answers a valid one without a 401 (locations' need an admin's: 403).</summary>
    private static readonly (string Method, string Path)[] ProtectedRoutes =
    [
        ("GET", "/api/customers/me"),
        ("GET", "/api/inventory/reservations/0197a6c4-0000-7000-8000-000000000000"),
        ("GET", "/api/payments/"),
        ("PUT", "/api/locations/0197a6c4-0000-7000-8000-000000000000"),
    ];

    public static TheoryData<string> Forgeries =>
    [
        "alg none",
        "HS256 keyed with the published public key",
        "RS256 under the published key id",
        "ES256 with another key under the published key id",
        "role changed to admin, signature kept",
        "signature stripped",
    ];

    [StackTheory]
    [MemberData(nameof(Forgeries))]
    public async Task API2_a_forged_token_is_401_on_every_service_while_the_real_one_it_copies_is_accepted(string forgery)
    {
        var customer = await stack.NewCustomerAsync();
        var forged = await ForgeAsync(forgery, customer.Tokens.AccessToken);

        foreach (var (method, path) in ProtectedRoutes)
        {
            var real = await customer.Http.SendAsync(
                new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PUT" ? JsonContent.Create(new { }) : null });
            var refused = await stack.WithToken(forged).SendAsync(
                new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PUT" ? JsonContent.Create(new { }) : null });

            Assert.True(real.StatusCode != HttpStatusCode.Unauthorized, $"the real token was refused by {method} {path}");
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [StackFact]
    public async Task API2_a_made_up_secret_for_a_real_session_is_401_and_the_session_lives_on()
    {
        var customer = await stack.NewCustomerAsync();
        var session = customer.Tokens.RefreshToken.Split('.')[0];

        var forged = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/refresh", new { refreshToken = session + ".a-made-up-secret" });

        await forged.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await customer.Http.GetAsync("/api/customers/me")).StatusCode);
        var refreshed = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/refresh", new { refreshToken = customer.Tokens.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [StackFact]
    public async Task API2_a_strangers_failed_logins_throttle_the_stranger_and_never_lock_out_the_owner()
    {
        var owner = await stack.NewCustomerAsync();
        var stranger = stack.Anonymous().Http;

        var attempts = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            attempts.Add(await stranger.PostAsJsonAsync("/api/customers/login", new { email = owner.Email, password = $"guess number {i}" }));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, attempts[0].StatusCode);
        var throttled = await attempts[^1].AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(attempts[^1].Headers.RetryAfter is not null, "a throttled login says when to come back");
        Assert.Equal("LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP", throttled.GetProperty("limit").GetString());
        await stack.LogInAsync(owner.Email, Stack.CustomerPassword);
    }

    [StackFact]
    public async Task API2_a_failed_login_does_not_tell_an_unknown_email_from_a_wrong_password()
    {
        var customer = await stack.NewCustomerAsync();

        var wrongPassword = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/login",
            new { email = customer.Email, password = "not the password at all" });
        var unknownEmail = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/login",
            new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "not the password at all" });

        var (a, b) = (await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized), await unknownEmail.AssertProblemAsync(HttpStatusCode.Unauthorized));
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal(a.TryGetProperty("detail", out var x) ? x.GetString() : null, b.TryGetProperty("detail", out var y) ? y.GetString() : null);
    }

    [StackFact]
    public async Task API2_after_logout_the_access_token_and_the_refresh_token_are_refused()
    {
        var customer = await stack.NewCustomerAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await customer.Http.PostAsync("/api/customers/logout", content: null)).StatusCode);

        await (await customer.Http.GetAsync("/api/customers/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var refresh = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/refresh", new { refreshToken = customer.Tokens.RefreshToken });
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<string> ForgeAsync(string forgery, string realToken)
    {
        var real = new JsonWebToken(realToken);
        var published = (await stack.Anonymous().Http.GetJsonAsync("/api/customers/.well-known/jwks.json")).GetProperty("keys")
            .EnumerateArray().Single(key => key.GetProperty("kid").GetString() == real.Kid);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = real.Issuer,
            Audience = real.Audiences.Single(),
            Expires = DateTime.UtcNow.AddMinutes(5),
            Subject = new ClaimsIdentity(real.Claims.Where(c => c.Type is "sub" or "email" or "role" or "sid")),
        };
        switch (forgery)
        {
            case "alg none":
                return Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + real.EncodedPayload + ".";
            case "HS256 keyed with the published public key":
                // Algorithm confusion: an HMAC whose key is the public key anyone can fetch.
                descriptor.SigningCredentials = new SigningCredentials(
                    new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PublicKey(published).ExportSubjectPublicKeyInfoPem())) { KeyId = real.Kid },
                    SecurityAlgorithms.HmacSha256);
                break;
            case "RS256 under the published key id":
                descriptor.SigningCredentials = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = real.Kid }, SecurityAlgorithms.RsaSha256);
                break;
            case "ES256 with another key under the published key id":
                descriptor.SigningCredentials = new SigningCredentials(
                    new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = real.Kid }, SecurityAlgorithms.EcdsaSha256);
                break;
            case "role changed to admin, signature kept":
                var payload = JsonNode.Parse(Base64UrlEncoder.Decode(real.EncodedPayload))!;
                payload["role"] = "admin";
                return $"{real.EncodedHeader}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{real.EncodedSignature}";
            case "signature stripped":
                return $"{real.EncodedHeader}.{real.EncodedPayload}.";
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, null);
        }

        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static ECDsa PublicKey(JsonElement jwk) => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint
        {
            X = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("x").GetString()),
            Y = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("y").GetString()),
        },
    });
}
