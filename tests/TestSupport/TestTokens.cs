using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Security;

namespace TestSupport;

/// <summary>Access tokens as the customers service mints them (ES256), signed with a key the test services trust.</summary>
public static class TestTokens
{
    private static readonly ECDsaSecurityKey SigningKey = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "test-key" };

    public static SecurityKey ValidationKey => SigningKey;

    public static string Issuer => "mycomputer-customers";

    public static string Audience => "mycomputer-api";

    public static string For(string role, Guid? customerId = null) => Sign(SigningKey, role, customerId);

    /// <summary>A well-formed token whose signature no service trusts.</summary>
    public static string SignedWithAnotherKey(string role) =>
        Sign(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = SigningKey.KeyId }, role, null);

    private static string Sign(ECDsaSecurityKey key, string role, Guid? customerId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow.AddMinutes(15),
        Subject = new ClaimsIdentity(
        [
            new Claim("sub", (customerId ?? Guid.CreateVersion7()).ToString()),
            new Claim("role", role),
            new Claim("email", $"{role}@example.test"),
        ]),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
    });

    /// <summary>The key id customers gives <paramref name="key"/>: the RFC 7638 thumbprint of its public part.</summary>
    public static string KeyIdOf(ECDsa key) => Base64UrlEncoder.Encode(JsonWebKeyConverter
        .ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(includePrivateParameters: false)))).ComputeJwkThumbprint());

    public static string Admin() => For(Roles.Admin);

    public static string Customer(Guid? customerId = null) => For(Roles.Customer, customerId);
}
