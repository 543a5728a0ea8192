namespace StripeEmulator;

/// <summary>
/// How undelivered webhooks are retried: after <see cref="RetrySeconds"/>, then twice as long each time, until
/// <see cref="MaxAttempts"/> attempts in all (the first included). The defaults give up after about 8.5 minutes; real
/// Stripe goes on for up to 3 days in live mode (a few retries over a few hours in test mode), which no test or
/// benchmark wants to wait for.
/// </summary>
public sealed record WebhookRetryOptions(double RetrySeconds = 1, int MaxAttempts = 10)
{
    /// <summary>No single wait longer than this, whatever the doubling reaches.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(24);

    public static WebhookRetryOptions FromConfiguration(IConfiguration configuration)
    {
        var defaults = new WebhookRetryOptions();
        var options = new WebhookRetryOptions(
            configuration.GetValue("STRIPE_EMULATOR_WEBHOOK_RETRY_SECONDS", defaults.RetrySeconds),
            configuration.GetValue("STRIPE_EMULATOR_WEBHOOK_MAX_ATTEMPTS", defaults.MaxAttempts));
        if (!(options.RetrySeconds >= 0) || options.MaxAttempts < 1)
        {
            throw new InvalidOperationException(
                $"STRIPE_EMULATOR_WEBHOOK_RETRY_SECONDS must not be negative ({options.RetrySeconds}) and "
                + $"STRIPE_EMULATOR_WEBHOOK_MAX_ATTEMPTS must be at least 1 ({options.MaxAttempts}).");
        }

        return options;
    }

    /// <summary>The wait before attempt 2, 3, …: the base, then doubling.</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var seconds = RetrySeconds * Math.Pow(2, attempt - 2);
        return seconds >= LongestWait.TotalSeconds ? LongestWait : TimeSpan.FromSeconds(seconds);
    }
}
