using System.Collections.Concurrent;

namespace StripeEmulator;

/// <summary>
/// Stripe's idempotency: a key replays its first response; reused with other parameters it is an error. Requests with
/// one key run one at a time, so a race of identical requests creates one object. Keys are forgotten after 24 hours, as
/// Stripe forgets them: the same key then runs the request again (measured with the app's <see cref="TimeProvider"/>,
/// so a test can move the clock).
/// </summary>
public sealed class IdempotencyKeys(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Request, IResult Response, DateTimeOffset At)> _responses = new(StringComparer.Ordinal);

    public async Task<IResult> RunAsync(string? key, string request, Func<IResult> run)
    {
        if (key is null)
        {
            return run();
        }

        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            var now = time.GetUtcNow();
            if (_responses.TryGetValue(key, out var first) && now - first.At < Lifetime)
            {
                return first.Request == request
                    ? first.Response
                    : Api.Error(StatusCodes.Status400BadRequest, new StripeError("idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                        + $"Try using a key other than '{key}' if you meant to execute a different request."));
            }

            var response = run();
            _responses[key] = (request, response, now);
            return response;
        }
        finally
        {
            gate.Release();
        }
    }
}
