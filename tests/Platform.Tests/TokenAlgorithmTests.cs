using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Tests;

public sealed class TokenAlgorithmTests
{
    private static readonly ECDsaSecurityKey EcKey = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-key" };
    private static readonly RsaSecurityKey RsaKey = new(RSA.Create(2048)) { KeyId = "rsa-key" };

    [Fact]
    public async Task API2_an_RS256_token_is_401_even_when_its_key_is_published_while_ES256_passes()
    {
        // Both keys trusted, as a JWKS document holding an RSA key would make them: only the algorithm tells them apart.
        await using var app = await PlatformTestApp.StartAsync(configure: TrustedKeys.Only(EcKey, RsaKey));

        var es256 = await GetSecureAsync(app, Sign(new SigningCredentials(EcKey, SecurityAlgorithms.EcdsaSha256)));
        var rs256 = await GetSecureAsync(app, Sign(new SigningCredentials(RsaKey, SecurityAlgorithms.RsaSha256)));

        Assert.Equal(HttpStatusCode.OK, es256);
        Assert.Equal(HttpStatusCode.Unauthorized, rs256);
    }

    private static string Sign(SigningCredentials credentials) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "mycomputer-customers",
        Audience = "mycomputer-api",
        Expires = DateTime.UtcNow.AddMinutes(5),
        Subject = new ClaimsIdentity([new Claim("sub", Guid.CreateVersion7().ToString()), new Claim("role", "customer")]),
        SigningCredentials = credentials,
    });

    private static async Task<HttpStatusCode> GetSecureAsync(PlatformTestApp app, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/secure");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await app.Client.SendAsync(request)).StatusCode;
    }
}
