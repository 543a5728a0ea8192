using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Platform.Secrets;

public sealed class SecretsOptions
{
    /// <summary>How long a secret read from Secrets Manager is used before it is read again (rotation needs no redeploy).</summary>
    [ConfigurationKeyName("SECRETS_REFRESH_SECONDS"), Range(1, 86_400)]
    public int RefreshSeconds { get; set; } = 300;
}
