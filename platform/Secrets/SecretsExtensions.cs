using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.Configuration;
using Platform.Errors;
using Platform.Health;

namespace Platform.Secrets;

public static class SecretsExtensions
{
    internal static void AddSecretStore(this IHostApplicationBuilder builder)
    {
        builder.AddEnvironmentOptions<SecretsOptions>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDependencyFailures();
        builder.Services.TryAddSingleton<SecretStore>();
    }

    /// <summary>Declares a secret the service needs (<c>X</c> or <c>X_ARN</c>); readiness checks that it resolves.</summary>
    public static IHostApplicationBuilder AddSecret(this IHostApplicationBuilder builder, string name)
    {
        RequiredVariables.RequireSecret(builder, name);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"secret:{name}", sp => new SecretHealthCheck(sp.GetRequiredService<SecretStore>(), name),
            HealthStatus.Unhealthy, [HealthTags.Ready]));
        return builder;
    }

    private sealed class SecretHealthCheck(SecretStore secrets, string name) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var value = await secrets.GetAsync(name, cancellationToken);
            return string.IsNullOrEmpty(value) ? HealthCheckResult.Unhealthy($"{name} is empty") : HealthCheckResult.Healthy();
        }
    }
}
