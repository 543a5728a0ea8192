using Microsoft.Extensions.Options;
using Platform.Secrets;
using Stripe;

namespace Payments.Provider;

/// <summary>
/// Stripe through Stripe.net, with the secret key read from the secret store on each use (so a rotated key is picked up),
/// the API base from <c>STRIPE_API_BASE</c>, and each attempt bounded by <c>STRIPE_TIMEOUT_SECONDS</c>. Every create
/// carries an idempotency key and our own id in its metadata, so a retry is never a second charge and an object whose
/// answer was lost can be found again.
/// </summary>
/// <remarks>
/// One <see cref="StripeClient"/> serves every call until the key changes: making one per call cost about 0.5 ms of CPU
/// (its serializer settings and services), more than the rest of the call on our side.
/// </remarks>
public sealed class StripeGateway(SecretStore secrets, IHttpClientFactory http, IOptions<PaymentsOptions> options)
{
    public const string HttpClientName = "stripe";

    /// <summary>The metadata key that ties a PaymentIntent to our payment row.</summary>
    public const string PaymentIdKey = "payment_id";

    /// <summary>The metadata key that ties a Stripe refund to our refund row.</summary>
    public const string RefundIdKey = "refund_id";

    /// <summary>
    /// How long Stripe keeps an idempotency key (24 hours), less a margin: past it, a create with the same key could make
    /// a second object, so what was made is looked up instead.
    /// </summary>
    public static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromHours(23);

    // One client for the process: its handler's connections are renewed by the factory's settings, not by new clients.
    private readonly HttpClient _http = http.CreateClient(HttpClientName);
    private KeyedClient? _client;

    public async Task<PaymentIntent> CreatePaymentIntentAsync(
        long amountCents, string currency, Dictionary<string, string> metadata, string idempotencyKey, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return await client.V1.PaymentIntents.CreateAsync(
            new PaymentIntentCreateOptions
            {
                Amount = amountCents,
                Currency = currency.ToLowerInvariant(),
                Metadata = metadata,
                AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey },
            cancellationToken);
    }

    public async Task<PaymentIntent> GetPaymentIntentAsync(string id, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return await client.V1.PaymentIntents.GetAsync(id, cancellationToken: cancellationToken);
    }

    /// <summary>The PaymentIntent made for our payment <paramref name="paymentId"/>, if Stripe has one (its search lags by up to a minute).</summary>
    public async Task<PaymentIntent?> FindPaymentIntentAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var found = await client.V1.PaymentIntents.SearchAsync(
            new PaymentIntentSearchOptions { Query = $"metadata['{PaymentIdKey}']:'{paymentId}'" }, cancellationToken: cancellationToken);
        return found.Data.FirstOrDefault();
    }

    /// <summary>Refunds <paramref name="amountCents"/> of a PaymentIntent, tagged with our refund's id.</summary>
    public async Task<global::Stripe.Refund> RefundAsync(
        string paymentIntentId, long amountCents, Guid refundId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return await client.V1.Refunds.CreateAsync(
            new RefundCreateOptions
            {
                PaymentIntent = paymentIntentId,
                Amount = amountCents,
                Metadata = new Dictionary<string, string> { [RefundIdKey] = refundId.ToString() },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey },
            cancellationToken);
    }

    /// <summary>The refund made for our refund <paramref name="refundId"/>, if Stripe has one (a list, so it does not lag).</summary>
    public async Task<global::Stripe.Refund?> FindRefundAsync(string paymentIntentId, Guid refundId, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var refunds = await client.V1.Refunds.ListAsync(
            new RefundListOptions { PaymentIntent = paymentIntentId, Limit = 100 }, cancellationToken: cancellationToken);
        return refunds.Data.FirstOrDefault(r => r.Metadata?.GetValueOrDefault(RefundIdKey) == refundId.ToString());
    }

    private async Task<StripeClient> ClientAsync(CancellationToken cancellationToken)
    {
        var apiKey = await secrets.GetAsync("STRIPE_SECRET_KEY", cancellationToken);
        if (Volatile.Read(ref _client) is { } current && current.ApiKey == apiKey)
        {
            return current.Client;
        }

        var settings = options.Value;
        var made = new KeyedClient(apiKey, new StripeClient(
            apiKey: apiKey,
            httpClient: new SystemNetHttpClient(_http, settings.StripeMaxNetworkRetries),
            apiBase: settings.StripeApiBase));
        Volatile.Write(ref _client, made);
        return made.Client;
    }

    private sealed record KeyedClient(string ApiKey, StripeClient Client);
}
