using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static TestSupport.TestTokens;

namespace Customers.Tests;

/// <summary>The middle of a rotation: JWT_SECRET holds the new key first (it signs) and the previous one after it.</summary>
public sealed class RotationFixture() : CustomersFixture(new Dictionary<string, string>
{
    ["JWT_SECRET"] = RotationKeys.New.ExportPkcs8PrivateKeyPem() + "\n" + RotationKeys.Previous.ExportPkcs8PrivateKeyPem(),
});

public static class RotationKeys
{
    public static readonly ECDsa New = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public static readonly ECDsa Previous = ECDsa.Create(ECCurve.NamedCurves.nistP256);
}

public sealed class SigningKeyTests(RotationFixture customers) : IClassFixture<RotationFixture>
{
    [Fact]
    public async Task Jwks_publishes_both_keys_public_parts_only_and_the_new_one_signs()
    {
        var response = await customers.CreateClient().GetAsync(new Uri("/api/customers/.well-known/jwks.json", UriKind.Relative));
        var keys = new JsonWebKeySet(await response.Content.ReadAsStringAsync()).Keys;
        var customer = await customers.NewCustomerAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([KeyIdOf(RotationKeys.New), KeyIdOf(RotationKeys.Previous)], keys.Select(k => k.Kid));
        Assert.All(keys, key =>
        {
            Assert.Equal("EC", key.Kty);
            Assert.Equal("ES256", key.Alg);
            Assert.Equal("sig", key.Use);
            Assert.False(key.HasPrivateKey);
        });
        Assert.DoesNotContain("\"d\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(KeyIdOf(RotationKeys.New), new JsonWebToken(customer.Tokens.AccessToken).Kid);
    }

    [Fact]
    public async Task A_token_signed_with_the_previous_key_is_still_accepted()
    {
        var customer = await customers.NewCustomerAsync();
        var claims = new JsonWebToken(customer.Tokens.AccessToken).Claims.Where(c => c.Type is "sub" or "email" or "role" or "sid");
        var key = new ECDsaSecurityKey(RotationKeys.Previous) { KeyId = KeyIdOf(RotationKeys.Previous) };
        var oldToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "mycomputer-customers",
            Audience = "mycomputer-api",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Subject = new System.Security.Claims.ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

        var me = await customers.ClientWithToken(oldToken).GetFromJsonAsync<JsonElement>("/api/customers/me");

        Assert.Equal(customer.Id, me.GetProperty("id").GetGuid());
    }
}
