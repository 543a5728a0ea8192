using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Api;
using Platform.Aws;
using Platform.Configuration;
using Platform.Errors;
using Platform.Health;
using Platform.Observability;
using Platform.OpenApi;
using Platform.Secrets;
using Platform.Security;

namespace Platform.Hosting;

public static class PlatformBuilderExtensions
{
    /// <summary>How long fetching the customers service's public keys (JWKS) may take.</summary>
    public static readonly TimeSpan JwksTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Everything a service shares: configuration from the environment (validated at start-up), Kestrel on
    /// <c>PORT</c> with a body size limit, JSON logs and traces, problem details, per-IP rate limit, forwarded
    /// headers from the load balancer, bearer-token auth, secrets, AWS clients, health checks, graceful drain, OpenAPI.
    /// </summary>
    /// <param name="serviceName">The service's name in <c>deploy/topology.json</c>, which gives its default port.</param>
    public static WebApplicationBuilder AddPlatformDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        // Lowest precedence: anything in the environment overrides the service's default port.
        if (Topology.Services.TryGetValue(serviceName, out var declared))
        {
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = [new("PORT", declared.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            });
        }

        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.AddEnvironmentOptions<PlatformOptions>();

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<PlatformOptions>>((kestrel, options) =>
        {
            var platform = ValidOrDefault(options);
            kestrel.ListenAnyIP(platform.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = platform.MaxRequestBodyBytes;
        });
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<PlatformOptions>>((host, options) =>
        {
            var platform = ValidOrDefault(options);
            host.ShutdownTimeout = TimeSpan.FromSeconds(platform.DrainDelaySeconds + platform.ShutdownTimeoutSeconds);
        });
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<PlatformOptions>>((forwarded, options) =>
        {
            // The load balancer appends the address it got a request from; so does a service calling this one for a
            // customer (ForwardClientAddress). The hops are followed back while they come from a trusted network, so a
            // client's own X-Forwarded-For is never believed and a call made for a customer counts as theirs.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = null;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in ValidOrDefault(options).TrustedNetworks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });

        // Enums travel as snake_case strings ("requires_payment_method"); a number or an unknown name is a 400, and so is
        // a number sent as a string.
        builder.Services.ConfigureHttpJsonOptions(json => ApiJson.Apply(json.SerializerOptions));

        builder.AddPlatformObservability(serviceName);
        builder.Services.AddPlatformProblemDetails();
        builder.Services.AddSingleton<AdmissionControl>();
        builder.Services.AddPerClientRateLimit();
        builder.AddPlatformAuth();
        // The customers service's keys: a token waits for them only on the first fetch and on a key it does not know.
        builder.Services.AddHttpClient(AuthExtensions.JwksHttpClient, http => http.Timeout = JwksTimeout);
        builder.AddAwsCore();
        builder.AddSecretStore();
        builder.Services.AddPlatformOpenApi();

        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        builder.Services.AddWarmUpGate();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        builder.Services.AddReadinessTimeouts();
        return builder;
    }

    // The server and the host read their options while the application is built, before start-up validation runs;
    // with bad configuration they get defaults, and validation then stops start-up naming every bad variable.
    private static PlatformOptions ValidOrDefault(IOptions<PlatformOptions> options)
    {
        try
        {
            return options.Value;
        }
        catch (Exception exception) when (ConfigurationErrors.Describe(exception) is not null)
        {
            return new PlatformOptions { Port = 1 };
        }
    }
}
