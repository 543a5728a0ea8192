using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Hosting;

namespace Platform.Health;

/// <summary>
/// On SIGTERM (an ECS rolling deploy), turns <c>/health</c> to 503 and keeps serving for the drain delay, so the
/// load balancer takes the task out of rotation before the server stops; then the host finishes in-flight
/// requests and stops background workers. Runs in <see cref="StoppingAsync"/>, before any service stops.
/// </summary>
public sealed class ShutdownDrain(IOptions<PlatformOptions> options, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = TimeSpan.FromSeconds(options.Value.DrainDelaySeconds);
        logger.LogInformation("Shutdown started; draining for {DrainDelaySeconds}s before the server stops", delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Drain cut short by the shutdown timeout");
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
