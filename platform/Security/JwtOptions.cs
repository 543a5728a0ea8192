using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Platform.Security;

public sealed class JwtOptions
{
    [ConfigurationKeyName("JWT_ISSUER"), Required]
    public string Issuer { get; set; } = "mycomputer-customers";

    [ConfigurationKeyName("JWT_AUDIENCE"), Required]
    public string Audience { get; set; } = "mycomputer-api";

    /// <summary>
    /// Where the customers service publishes its public keys. Fetched on first use, cached, and re-fetched when a token
    /// names an unknown key id, so a key rotation needs no redeploy of the other services.
    /// </summary>
    [ConfigurationKeyName("JWT_JWKS_URL"), Url(ErrorMessage = "JWT_JWKS_URL must be an absolute URL.")]
    public string? JwksUrl { get; set; }
}
