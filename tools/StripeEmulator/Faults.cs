namespace StripeEmulator;

/// <summary>
/// The current <see cref="FaultSettings"/> and the dice they are rolled with. A rate of 0 never fires and 1 always
/// does, whatever the dice; between them, <c>STRIPE_EMULATOR_SEED</c> makes a run repeatable. <see cref="Random"/> is
/// not thread-safe, hence the lock.
/// </summary>
public sealed class Faults
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private FaultSettings _settings;

    public Faults(FaultSettings settings, Random random)
    {
        Check(settings);
        _settings = settings;
        _random = random;
    }

    public static Faults FromConfiguration(IConfiguration configuration)
    {
        var seed = configuration.GetValue<int?>("STRIPE_EMULATOR_SEED");
        return new Faults(FaultSettings.FromConfiguration(configuration), seed is { } value ? new Random(value) : new Random());
    }

    public FaultSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
        set
        {
            Check(value);
            lock (_lock)
            {
                _settings = value;
            }
        }
    }

    /// <summary>Whether a fault with this share of calls happens to this one.</summary>
    public bool Happens(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        if (rate >= 1)
        {
            return true;
        }

        lock (_lock)
        {
            return _random.NextDouble() < rate;
        }
    }

    /// <summary>The latency plus a random 0..jitter milliseconds.</summary>
    public TimeSpan Latency(FaultSettings settings)
    {
        if (settings.LatencyJitterMs == 0)
        {
            return TimeSpan.FromMilliseconds(settings.LatencyMs);
        }

        lock (_lock)
        {
            return TimeSpan.FromMilliseconds(settings.LatencyMs + _random.NextInt64(0, settings.LatencyJitterMs + 1L));
        }
    }

    private static void Check(FaultSettings settings)
    {
        if (settings.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Invalid fault settings: {string.Join("; ", problems)}", nameof(settings));
        }
    }
}
