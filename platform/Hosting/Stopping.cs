namespace Platform.Hosting;

/// <summary>Tells the host stopping from a failure: a call that timed out throws an OperationCanceledException too.</summary>
public static class Stopping
{
    /// <summary>
    /// False only for the cancellation of <paramref name="stoppingToken"/>; anything else, a timeout included, is a failure
    /// to log and try again (an exception escaping a background service stops the whole process).
    /// </summary>
    public static bool IsNotStopping(this Exception exception, CancellationToken stoppingToken) =>
        exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested;
}
