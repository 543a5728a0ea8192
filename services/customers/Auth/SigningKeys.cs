using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Platform.Secrets;

namespace Customers.Auth;

/// <summary>
/// The current <see cref="KeyRing"/>, re-read whenever the secret store's value of <c>JWT_SECRET</c> changes (it
/// refreshes the secret periodically), so a rotation needs no restart. It is also this service's token validation
/// configuration: customers checks its own tokens against the keys it holds, never through HTTP.
/// </summary>
public sealed class SigningKeys(SecretStore secrets) : IConfigurationManager<OpenIdConnectConfiguration>
{
    public const string SecretName = "JWT_SECRET";

    private volatile KeyRing? _ring;

    public async Task<KeyRing> GetAsync(CancellationToken cancellationToken)
    {
        var pem = await secrets.GetAsync(SecretName, cancellationToken);
        var ring = _ring;
        if (ring is null || !string.Equals(ring.Source, pem, StringComparison.Ordinal))
        {
            ring = KeyRing.Parse(pem);
            _ring = ring;
        }

        return ring;
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => (await GetAsync(cancel)).Validation;

    public void RequestRefresh()
    {
        // The secret store refreshes on its own schedule; an unknown key id cannot be one of ours.
    }
}
