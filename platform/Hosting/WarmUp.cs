using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Platform.Hosting;

/// <summary>
/// Paths (with their query) a service sends itself before it says it is ready (<see cref="WarmUp"/>): anonymous reads
/// that run what its customers run most, and change nothing. Resolved in a scope of its own while the server starts, so
/// they may name what is in the database (a product that exists, read as customers read it).
/// </summary>
public interface IWarmUpPaths
{
    Task<IReadOnlyList<string>> PathsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A new task runs its hot paths before the load balancer sends it customers. Published with ReadyToRun, a process
/// still answers its first seconds under load at a third to two thirds of its steady throughput while the JIT
/// recompiles what is hot (bench/analysis.md); so once the server starts, the service sends itself the paths it
/// declared (<see cref="IWarmUpPaths"/>), two at a time, over loopback, for <c>WARMUP_SECONDS</c>, and <c>/health</c>
/// and <c>/health/ready</c> answer 503 <c>starting</c> until it is done. Its requests carry a key only this process
/// knows, so they are not counted against the loopback address's rate limit, and they are left out of the request
/// duration metric and the traces, which describe the service's clients (what they do to the cache and the database is
/// real load, and is counted as such). A service that declares no path, or a host on an in-memory test server, is warm
/// at once; a warm-up that fails (its paths not readable, the server not answering) ends there, and the task serves
/// cold.
/// </summary>
public sealed class WarmUp(
    IServer server, IServiceProvider services, IOptions<PlatformOptions> platform, IHostApplicationLifetime lifetime, ILogger<WarmUp> logger)
    : BackgroundService
{
    public const string KeyHeader = "X-Warm-Up-Key";
    private const int InFlight = 2;

    private readonly byte[] _key = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
    private volatile bool _warm;

    public bool IsWarm => _warm;

    /// <summary>A request this process sent itself to warm up (one cut short may arrive just after the warm-up ended).</summary>
    public bool IsOwn(HttpRequest request) =>
        request.Headers.TryGetValue(KeyHeader, out var key) && key.Count == 1
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key[0] ?? ""), _key);

    /// <summary><see cref="IsOwn"/> for a request of any host, cheap for the many that carry no key.</summary>
    public static bool IsWarmUpRequest(HttpContext context) =>
        context.Request.Headers.ContainsKey(KeyHeader) && context.RequestServices.GetService<WarmUp>()?.IsOwn(context.Request) == true;

    private bool Declared => services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(IWarmUpPaths));

    // Only Kestrel listens on PORT; an in-memory test server has nothing to send to.
    private bool OnKestrel => server.GetType().Assembly == typeof(KestrelServerOptions).Assembly;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var seconds = platform.Value.WarmUpSeconds;
            if (seconds == 0 || !Declared || !OnKestrel)
            {
                return;
            }

            // The paths are read while the server starts; the warm-up's time counts from when it listens.
            using var until = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var declared = DeclaredPathsAsync(until.Token);
            if (!await StartedAsync(stoppingToken))
            {
                return;
            }

            until.CancelAfter(TimeSpan.FromSeconds(seconds));
            if (await declared is not { Count: > 0 } paths)
            {
                return;
            }

            using var http = new HttpClient
            {
                BaseAddress = new Uri($"http://127.0.0.1:{platform.Value.Port}"),
                Timeout = TimeSpan.FromSeconds(seconds),
            };
            http.DefaultRequestHeaders.Add(KeyHeader, Encoding.ASCII.GetString(_key));
            var clock = Stopwatch.StartNew();
            var sent = await Task.WhenAll(Enumerable.Range(0, InFlight).Select(lane => SendAsync(http, paths, lane, until.Token)));
            logger.LogInformation("Warmed up with {Requests} requests to {Paths} paths in {Seconds:0.0} s",
                sent.Sum(), paths.Count, clock.Elapsed.TotalSeconds);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Best effort: its dependencies' state is readiness's to report, not the warm-up's.
            logger.LogWarning("Warm-up stopped; the task serves cold ({ExceptionType}: {ExceptionMessage})", exception.GetType().Name, exception.Message);
        }
        finally
        {
            _warm = true;
        }
    }

    private async Task<IReadOnlyList<string>> DeclaredPathsAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var paths = new List<string>();
        foreach (var declared in scope.ServiceProvider.GetServices<IWarmUpPaths>())
        {
            paths.AddRange(await declared.PathsAsync(cancellationToken));
        }

        return paths;
    }

    private static async Task<int> SendAsync(HttpClient http, IReadOnlyList<string> paths, int lane, CancellationToken until)
    {
        // No span for the warm-up's calls, and so no trace context sent with them.
        using var untraced = SuppressInstrumentationScope.Begin();
        var sent = 0;
        try
        {
            for (var turn = lane; !until.IsCancellationRequested; turn++)
            {
                using var response = await http.GetAsync(paths[turn % paths.Count], HttpCompletionOption.ResponseContentRead, until);
                sent++;
            }
        }
        catch (OperationCanceledException) when (until.IsCancellationRequested)
        {
            // The warm-up's time is up.
        }

        return sent;
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

public static class WarmUpExtensions
{
    /// <summary>Paths the service sends itself before it is ready, fixed (see <see cref="IWarmUpPaths"/>).</summary>
    public static WebApplicationBuilder AddWarmUp(this WebApplicationBuilder builder, params string[] paths)
    {
        builder.Services.AddSingleton<IWarmUpPaths>(new FixedPaths(paths));
        return builder;
    }

    /// <summary>Paths the service sends itself before it is ready, read when it starts (see <see cref="IWarmUpPaths"/>).</summary>
    public static WebApplicationBuilder AddWarmUp<TPaths>(this WebApplicationBuilder builder)
        where TPaths : class, IWarmUpPaths
    {
        builder.Services.AddScoped<IWarmUpPaths, TPaths>();
        return builder;
    }

    internal static IServiceCollection AddWarmUpGate(this IServiceCollection services)
    {
        services.AddSingleton<WarmUp>();
        return services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());
    }

    /// <summary>
    /// Leaves the warm-up's requests out of ASP.NET Core's request duration metric (their traces are filtered where
    /// tracing is set up).
    /// </summary>
    internal static IApplicationBuilder UseWarmUpOutOfMetrics(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (WarmUp.IsWarmUpRequest(context) && context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
            {
                metrics.MetricsDisabled = true;
            }

            return next(context);
        });

    private sealed class FixedPaths(IReadOnlyList<string> paths) : IWarmUpPaths
    {
        public Task<IReadOnlyList<string>> PathsAsync(CancellationToken cancellationToken) => Task.FromResult(paths);
    }
}
