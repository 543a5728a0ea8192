namespace Payments.Flows;

/// <summary>
/// Identical requests (one customer, one Idempotency-Key) take turns within a task, so a client's burst of retries
/// reads the reservation once and calls Stripe once, and the others replay what the first recorded. It holds no
/// connection or transaction while they wait; across tasks the claim's unique key keeps them apart instead.
/// </summary>
public sealed class RequestTurns
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> TakeAsync(string key, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out gate!))
            {
                _gates[key] = gate = new Gate();
            }

            gate.Users++;
        }

        try
        {
            await gate.Turn.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Leave(key, gate);
            throw;
        }

        return new Taken(this, key, gate);
    }

    private void Leave(string key, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(key);
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Taken(RequestTurns turns, string key, Gate gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Turn.Release();
            turns.Leave(key, gate);
            return ValueTask.CompletedTask;
        }
    }
}
