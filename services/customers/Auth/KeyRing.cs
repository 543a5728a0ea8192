using System.Security.Cryptography;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Platform.Security;

namespace Customers.Auth;

/// <summary>
/// The keys in the <c>JWT_SECRET</c> secret: one or more PEM private keys on the EC P-256 curve, for ES256, the one
/// algorithm every service accepts. The first key signs; every key is published. Each key's id is its RFC 7638
/// thumbprint, so every task computes the same ids from the same secret.
/// </summary>
public sealed class KeyRing
{
    private KeyRing(string source, IReadOnlyList<PublishedKey> keys, SigningCredentials signing)
    {
        Source = source;
        Keys = keys;
        Signing = signing;
        Validation = new OpenIdConnectConfiguration();
        foreach (var key in keys)
        {
            Validation.SigningKeys.Add(key.PublicKey);
        }
    }

    /// <summary>The secret's text this ring was read from.</summary>
    public string Source { get; }

    public IReadOnlyList<PublishedKey> Keys { get; }

    public SigningCredentials Signing { get; }

    /// <summary>The public keys, as the token validation of this service consumes them.</summary>
    public OpenIdConnectConfiguration Validation { get; }

    public static KeyRing Parse(string pem)
    {
        var keys = new List<(AsymmetricSecurityKey Private, PublishedKey Published)>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            keys.Add(Import(rest[fields.Location].ToString()));
            rest = rest[fields.Location.End..];
        }

        if (keys.Count == 0)
        {
            throw new InvalidOperationException("JWT_SECRET holds no PEM private key.");
        }

        var (signingKey, first) = keys[0];
        return new KeyRing(pem, keys.Select(key => key.Published).ToList(), new SigningCredentials(signingKey, first.Algorithm));
    }

    private static (AsymmetricSecurityKey, PublishedKey) Import(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            ec.Dispose();
            throw new InvalidOperationException($"JWT_SECRET: every key must be an EC P-256 private key ({JwtOptions.Algorithm}).");
        }

        if (ec.KeySize != 256)
        {
            throw new InvalidOperationException($"JWT_SECRET: EC keys must be on the P-256 curve ({JwtOptions.Algorithm}).");
        }

        return Publish(new ECDsaSecurityKey(ec), new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(includePrivateParameters: false))),
            JwtOptions.Algorithm);
    }

    private static (AsymmetricSecurityKey, PublishedKey) Publish(AsymmetricSecurityKey privateKey, AsymmetricSecurityKey publicKey, string algorithm)
    {
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(publicKey);
        var keyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        privateKey.KeyId = keyId;
        publicKey.KeyId = keyId;
        return (privateKey, new PublishedKey(keyId, algorithm, publicKey, jwk));
    }
}

/// <summary>A public key as the JWKS document and the validation see it.</summary>
public sealed record PublishedKey(string KeyId, string Algorithm, AsymmetricSecurityKey PublicKey, JsonWebKey Jwk);
