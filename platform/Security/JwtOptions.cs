using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Platform.Security;

public sealed class JwtOptions : IValidatableObject
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

    /// <summary>Set for the service that mints tokens: it validates them with its own keys, not through its JWKS URL.</summary>
    public bool KeysInProcess { get; internal set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JwksUrl is null && !KeysInProcess)
        {
            yield return new ValidationResult(
                "JWT_JWKS_URL is required: the URL of the customers service's /api/customers/.well-known/jwks.json.");
        }
    }
}
