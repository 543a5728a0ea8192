namespace Payments.Tests;

/// <summary>
/// Sits between payments and the Stripe emulator, so a test can fail one call at either side of Stripe's work: before it
/// is sent (as if Stripe or the network were down, or payments crashed after claiming), or after Stripe answered (as if
/// the answer were lost, or payments crashed before recording it). Stripe itself stays real. It can also slow every call.
/// </summary>
public sealed class StripeFaults
{
    private readonly Lock _lock = new();
    private readonly List<(string Path, Fault Fault)> _armed = [];

    private enum Fault
    {
        BeforeStripe,
        AnswerLost,
        WrongKey,
        Hang,
    }

    /// <summary>Added to every call, as a slow Stripe would be.</summary>
    public TimeSpan Latency { get; set; }

    // A call is named by its method and path, as "POST /v1/payment_intents".

    /// <summary>The next call to <paramref name="path"/> fails without reaching Stripe.</summary>
    public void FailBeforeStripe(string path) => Arm(path, Fault.BeforeStripe);

    /// <summary>The next call to <paramref name="path"/> reaches Stripe, which does its work; then its answer is lost.</summary>
    public void LoseAnswer(string path) => Arm(path, Fault.AnswerLost);

    /// <summary>The next call to <paramref name="path"/> reaches Stripe with a key it refuses, so Stripe itself says no.</summary>
    public void RefuseKey(string path) => Arm(path, Fault.WrongKey);

    /// <summary>The next call to <paramref name="path"/> gets no answer until payments stops waiting, as when Stripe is paused.</summary>
    public void Hang(string path) => Arm(path, Fault.Hang);

    /// <summary>Whether a fault armed for <paramref name="path"/> still waits for its call.</summary>
    public bool IsArmed(string path)
    {
        lock (_lock)
        {
            return _armed.Exists(a => a.Path == path);
        }
    }

    public DelegatingHandler Handler() => new FaultHandler(this);

    private void Arm(string path, Fault fault)
    {
        lock (_lock)
        {
            _armed.Add((path, fault));
        }
    }

    private Fault? Take(string path)
    {
        lock (_lock)
        {
            var index = _armed.FindIndex(a => a.Path == path);
            if (index < 0)
            {
                return null;
            }

            var fault = _armed[index].Fault;
            _armed.RemoveAt(index);
            return fault;
        }
    }

    private sealed class FaultHandler(StripeFaults faults) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(faults.Latency, cancellationToken);
            }

            switch (faults.Take($"{request.Method} {request.RequestUri!.AbsolutePath}"))
            {
                case null:
                    return await base.SendAsync(request, cancellationToken);
                case Fault.WrongKey:
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk_live_refused_by_stripe");
                    return await base.SendAsync(request, cancellationToken);
                case Fault.Hang:
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    break;
                case Fault.AnswerLost:
                    using (await base.SendAsync(request, cancellationToken))
                    {
                    }

                    break;
            }

            throw new HttpRequestException($"{request.RequestUri.AbsolutePath}: no answer from Stripe (a fault the test made)");
        }
    }
}

/// <summary>Between the Stripe emulator and payments' webhook: while <see cref="Lose"/> is set, deliveries vanish on the way.</summary>
public sealed class WebhookLine
{
    public bool Lose { get; set; }

    public DelegatingHandler Handler() => new LineHandler(this);

    private sealed class LineHandler(WebhookLine line) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            line.Lose ? Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)) : base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The real clock moved forward by what a test asks, for behaviour that depends on a day passing.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
}
