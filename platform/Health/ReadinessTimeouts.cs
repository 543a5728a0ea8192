using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Errors;
using Platform.Hosting;

namespace Platform.Health;

/// <summary>
/// Gives every readiness check a time limit (<c>READINESS_TIMEOUT_MS</c>) that holds even when the check's client
/// ignores cancellation (a Redis ping, a hung connection): at the limit the check reports its dependency down and
/// <c>/health/ready</c> answers 503 naming it. A failure to reach the dependency is reported in one line, without
/// the stack trace the health check service would log for every probe of an outage.
/// </summary>
internal static class ReadinessTimeouts
{
    internal static IServiceCollection AddReadinessTimeouts(this IServiceCollection services)
    {
        services.AddDependencyFailures();
        services.AddOptions<HealthCheckServiceOptions>().PostConfigure<IOptions<PlatformOptions>>((health, platform) =>
        {
            var timeout = TimeSpan.FromMilliseconds(PlatformOptionsOrDefault(platform).ReadinessTimeoutMilliseconds);
            foreach (var registration in health.Registrations.Where(r => r.Tags.Contains(HealthTags.Ready)))
            {
                var factory = registration.Factory;
                registration.Factory = sp => new BoundedCheck(factory(sp), timeout, sp.GetRequiredService<DependencyFailures>());
            }
        });
        return services;
    }

    // Health checks are built after start-up validation, which stops a bad configuration first; this is only for a host
    // that never validates (a test building the options alone).
    private static PlatformOptions PlatformOptionsOrDefault(IOptions<PlatformOptions> options)
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return new PlatformOptions();
        }
    }

    private sealed class BoundedCheck(IHealthCheck inner, TimeSpan timeout, DependencyFailures dependencies) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                return await inner.CheckHealthAsync(context, deadline.Token).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"no answer within {timeout.TotalMilliseconds:0} ms");
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && dependencies.Classify(exception) is { } dependency)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"{dependency} unavailable ({exception.GetType().Name})");
            }
        }
    }
}
