using System.Security.Cryptography;
using Customers.Auth;

namespace Customers.Tests;

public sealed class KeyRingTests
{
    [Fact]
    public void API2_an_RSA_key_in_JWT_SECRET_is_refused_because_only_ES256_is_issued_and_accepted()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var refused = Assert.Throws<InvalidOperationException>(() => KeyRing.Parse(ec.ExportPkcs8PrivateKeyPem() + "\n" + rsa.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("JWT_SECRET", refused.Message, StringComparison.Ordinal);
        Assert.All(KeyRing.Parse(ec.ExportPkcs8PrivateKeyPem()).Keys, key => Assert.Equal("ES256", key.Algorithm));
    }
}
