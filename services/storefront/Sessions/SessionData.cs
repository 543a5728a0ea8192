namespace Storefront.Sessions;

/// <summary>
/// What the storefront keeps for one browser, in Redis under a random id: the shopper's tokens (never sent to the
/// browser), who they are, their cart, and the checkout in progress.
/// </summary>
public sealed record SessionData
{
    public string? AccessToken { get; init; }

    public string? RefreshToken { get; init; }

    public DateTimeOffset AccessTokenExpiresAt { get; init; }

    public Guid? CustomerId { get; init; }

    public string? Email { get; init; }

    public string? Name { get; init; }

    public string? Role { get; init; }

    public IReadOnlyList<CartLine> Cart { get; init; } = [];

    /// <summary>The store the shopper picks up from.</summary>
    public Guid? StoreId { get; init; }

    /// <summary>The Idempotency-Key of each reservation's payment: made once per checkout attempt, reused on every retry.</summary>
    public IReadOnlyDictionary<Guid, string> PaymentKeys { get; init; } = new Dictionary<Guid, string>();

    /// <summary>
    /// The W3C <c>traceparent</c> of the request that reserved each checkout's items: its payment and its cancellation
    /// continue that trace, so a checkout is one trace from the reservation to inventory's commit.
    /// </summary>
    public IReadOnlyDictionary<Guid, string> CheckoutTraces { get; init; } = new Dictionary<Guid, string>();

    /// <summary>The shopper's latest data export, to show its download link once it is ready.</summary>
    public Guid? ExportId { get; init; }

    public bool SignedIn => AccessToken is not null;

    /// <summary>
    /// This session with a checkout of <paramref name="reservationId"/> begun: its payment's key made, and the trace it
    /// began in kept. Only the latest ten checkouts are kept.
    /// </summary>
    public SessionData WithCheckout(Guid reservationId, string? traceParent)
    {
        const int kept = 10;
        var keys = PaymentKeys.TakeLast(kept - 1).ToDictionary();
        keys[reservationId] = Guid.NewGuid().ToString("N");
        var traces = CheckoutTraces.Where(trace => keys.ContainsKey(trace.Key)).ToDictionary();
        if (traceParent is not null)
        {
            traces[reservationId] = traceParent;
        }

        return this with { PaymentKeys = keys, CheckoutTraces = traces };
    }
}

public sealed record CartLine(Guid ProductId, string Name, long UnitPriceCents, string Currency, int Quantity);
