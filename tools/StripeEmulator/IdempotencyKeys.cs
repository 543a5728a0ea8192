using System.Collections.Concurrent;

namespace StripeEmulator;

/// <summary>
/// Stripe's idempotency: a key replays its first response; reused with other parameters it is an error. Requests with
/// one key run one at a time, so a race of identical requests creates one object.
/// </summary>
public sealed class IdempotencyKeys
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Request, IResult Response)> _responses = new(StringComparer.Ordinal);

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
            if (_responses.TryGetValue(key, out var first))
            {
                return first.Request == request
                    ? first.Response
                    : Api.Error(StatusCodes.Status400BadRequest, new StripeError("idempotency_error",
                        $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."));
            }

            var response = run();
            _responses[key] = (request, response);
            return response;
        }
        finally
        {
            gate.Release();
        }
    }
}
