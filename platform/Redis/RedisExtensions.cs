using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Platform.Configuration;
using Platform.Errors;
using Platform.Health;
using Platform.Hosting;
using StackExchange.Redis;

namespace Platform.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// One multiplexer per process from <c>REDIS_URL</c>, the service's key prefix, and <see cref="FailOpenCache"/>.
    /// With <paramref name="required"/> false (Redis only caches), readiness reports Redis down as degraded and stays 200.
    /// </summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder, bool required = false)
    {
        builder.AddEnvironmentOptions<RedisOptions>();
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var configuration = RedisUrl.Parse(options.Url);
            configuration.ClientName = sp.GetRequiredService<ServiceIdentity>().Name;
            // Start even when Redis is down, and fail calls at once instead of queueing them while disconnected; a call
            // that gets no answer fails after REDIS_TIMEOUT_MS, a connection attempt after twice that.
            configuration.AbortOnConnectFail = false;
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            configuration.ConnectTimeout = options.TimeoutMilliseconds * 2;
            configuration.AsyncTimeout = options.TimeoutMilliseconds;
            configuration.SyncTimeout = options.TimeoutMilliseconds;
            // Nothing outside the service's own keys: each service's Redis user may touch only its prefix and no channel
            // (docs/configuration.md), so the client's tie-breaker key and its configuration-change channel are off.
            configuration.TieBreaker = "";
            configuration.ConfigurationChannel = "";
            return ConnectionMultiplexer.Connect(configuration);
        });
        // Redis calls are traced in the requests that are, and not profiled at all in the others (SampledRedisProfiling).
        builder.Services.AddKeyedSingleton(SampledRedisProfiling.ServiceKey,
            (sp, _) => SampledRedisProfiling.Over(sp.GetRequiredService<IConnectionMultiplexer>()));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddRedisInstrumentation(SampledRedisProfiling.ServiceKey));
        builder.Services.AddSingleton(sp => new RedisKeyspace(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix ?? sp.GetRequiredService<ServiceIdentity>().Name + ":"));
        builder.Services.AddDependencyFailures();
        builder.Services.AddSingleton<FailOpenCache>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            DependencyFailures.Redis, sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            required ? HealthStatus.Unhealthy : HealthStatus.Degraded, [HealthTags.Ready]));
        return builder;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!redis.IsConnected)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "not connected");
            }

            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
    }
}
