using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Platform.Security;

public sealed class JwtOptions : IValidatableObject
{
    /// <summary>The one algorithm the customers service signs with and every service accepts: ECDSA P-256 with SHA-256.</summary>
    public const string Algorithm = "ES256";

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

    /// <summary>
    /// Allows an <c>http://</c> <see cref="JwksUrl"/> outside Development and Test: only where the keys travel inside a
    /// private network (ECS Service Connect in the VPC, docker compose, <c>./dev</c>); anywhere else a man in the middle
    /// could publish keys of its own.
    /// </summary>
    [ConfigurationKeyName("JWT_JWKS_ALLOW_HTTP")]
    public bool AllowHttpJwks { get; set; }

    /// <summary>Set for the service that mints tokens: it validates them with its own keys, not through its JWKS URL.</summary>
    public bool KeysInProcess { get; internal set; }

    /// <summary>Set when the environment is Development or Test, where a plain-http JWKS URL is expected.</summary>
    public bool LocalEnvironment { get; internal set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JwksUrl is null && !KeysInProcess)
        {
            yield return new ValidationResult(
                "JWT_JWKS_URL is required: the URL of the customers service's /api/customers/.well-known/jwks.json.");
        }

        if (JwksUrl is not null && !KeysInProcess && !LocalEnvironment && !AllowHttpJwks
            && !JwksUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                "JWT_JWKS_URL must be an https:// URL outside Development and Test; "
                + "set JWT_JWKS_ALLOW_HTTP=true only where the keys travel inside a private network.");
        }
    }
}
