using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Api;
using Platform.Configuration;
using Platform.Health;
using Platform.Postgres;
using Platform.Security;

namespace Platform.Hosting;

public static class PlatformApplicationExtensions
{
    /// <summary>
    /// The shared middleware, in the order that matters: the warm-up's requests out of the request duration metric,
    /// client address, errors, headers, the per-address rate limit (before identity, so refused tokens count, and before
    /// admission, so one flooding client cannot take every slot), admission (a busy task refuses at once what it cannot
    /// serve), the input rules (before any handler), identity, then the rate limits of endpoints that partition by the
    /// authenticated customer.
    /// </summary>
    public static WebApplication UsePlatformDefaults(this WebApplication app)
    {
        app.UseWarmUpOutOfMetrics();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UsePerClientRateLimit();
        app.UseAdmissionControl();
        app.UseInputRules();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The root endpoints every service has: health and the OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapPlatformEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthEndpoints();
        endpoints.MapOpenApi().AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// Validates the configuration (one message naming every bad variable, exit code 1), applies migrations
    /// (at start-up, or only that with the <c>migrate</c> argument, for a one-off ECS task), runs the
    /// <see cref="IStartupTask"/>s, then serves. The <c>demo-data</c> argument loads the <see cref="IDemoData"/> and exits;
    /// <c>healthcheck</c> probes a running instance of the service (the container's health check) and exits;
    /// <c>configuration</c> prints every variable the service reads, with its default, as JSON, and exits.
    /// </summary>
    public static async Task<int> RunPlatformAsync(this WebApplication app, string[] args)
    {
        if (args.Contains("healthcheck", StringComparer.Ordinal))
        {
            return await HealthProbe.RunAsync(app.Services.GetRequiredService<IOptions<PlatformOptions>>().Value.Port, TimeSpan.FromSeconds(3));
        }

        if (args.Contains("configuration", StringComparer.Ordinal))
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(ConfigurationCatalog.Describe(app.Services), ApiJson.Options));
            return 0;
        }

        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception exception) when (ConfigurationErrors.Describe(exception) is { } failures)
        {
            var message = ConfigurationErrors.Format(failures);
            app.Logger.LogCritical("{ConfigurationErrors}", message);
            await Console.Error.WriteLineAsync(message);
            return 1;
        }

        var migrate = args.Contains("migrate", StringComparer.Ordinal);
        var loadDemoData = args.Contains("demo-data", StringComparer.Ordinal);
        var postgres = app.Services.GetService<IOptions<PostgresOptions>>()?.Value;
        if (migrate || postgres?.MigrateOnStartup == true)
        {
            await app.Services.MigrateDatabasesAsync(app.Lifetime.ApplicationStopping);
        }

        if (loadDemoData)
        {
            await app.Services.LoadDemoDataAsync(app.Lifetime.ApplicationStopping);
        }

        if (migrate || loadDemoData)
        {
            return 0;
        }

        await app.Services.RunStartupTasksAsync(app.Lifetime.ApplicationStopping);

        await app.RunAsync();
        return 0;
    }
}
