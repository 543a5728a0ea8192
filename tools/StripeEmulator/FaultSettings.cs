using System.Text.Json.Serialization;

namespace StripeEmulator;

/// <summary>
/// How slow and how unreliable the emulated Stripe is: read from <c>STRIPE_EMULATOR_*</c> at start, replaced at run time
/// through <c>PUT /_emulator/faults</c> (snake_case JSON; a field left out takes its default, an unknown field is refused
/// so a misspelt setting cannot silently mean "no faults").
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FaultSettings(
    int LatencyMs = 0,
    int LatencyJitterMs = 0,
    double ErrorRate = 0,
    double TimeoutRate = 0,
    int TimeoutMs = 30_000,
    double DropWebhookRate = 0)
{
    public static FaultSettings FromConfiguration(IConfiguration configuration)
    {
        var defaults = new FaultSettings();
        return new FaultSettings(
            configuration.GetValue("STRIPE_EMULATOR_LATENCY_MS", defaults.LatencyMs),
            configuration.GetValue("STRIPE_EMULATOR_LATENCY_JITTER_MS", defaults.LatencyJitterMs),
            configuration.GetValue("STRIPE_EMULATOR_ERROR_RATE", defaults.ErrorRate),
            configuration.GetValue("STRIPE_EMULATOR_TIMEOUT_RATE", defaults.TimeoutRate),
            configuration.GetValue("STRIPE_EMULATOR_TIMEOUT_MS", defaults.TimeoutMs),
            configuration.GetValue("STRIPE_EMULATOR_DROP_WEBHOOK_RATE", defaults.DropWebhookRate));
    }

    /// <summary>What is wrong with these settings, named as the JSON fields are; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Delay(LatencyMs, "latency_ms");
        Delay(LatencyJitterMs, "latency_jitter_ms");
        Delay(TimeoutMs, "timeout_ms");
        Rate(ErrorRate, "error_rate");
        Rate(TimeoutRate, "timeout_rate");
        Rate(DropWebhookRate, "drop_webhook_rate");
        return problems;

        void Delay(int milliseconds, string name)
        {
            if (milliseconds < 0)
            {
                problems.Add($"{name} must not be negative");
            }
        }

        // Written so NaN fails too.
        void Rate(double rate, string name)
        {
            if (!(rate is >= 0 and <= 1))
            {
                problems.Add($"{name} must be between 0 and 1");
            }
        }
    }
}
