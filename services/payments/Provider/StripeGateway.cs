using Microsoft.Extensions.Options;
using Platform.Secrets;
using Stripe;

namespace Payments.Provider;

/// <summary>
/// Stripe through Stripe.net, with the secret key read from the secret store on each use (so a rotated key is picked up)
/// and the API base from <c>STRIPE_API_BASE</c>. Every call carries an idempotency key, so a retry is never a second charge.
/// </summary>
public sealed class StripeGateway(SecretStore secrets, IHttpClientFactory http, IOptions<PaymentsOptions> options)
{
    public const string HttpClientName = "stripe";

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

    /// <summary>Refunds <paramref name="amountCents"/> of a PaymentIntent, or all that is left when null.</summary>
    public async Task<global::Stripe.Refund> RefundAsync(string paymentIntentId, long? amountCents, string idempotencyKey, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return await client.V1.Refunds.CreateAsync(
            new RefundCreateOptions { PaymentIntent = paymentIntentId, Amount = amountCents },
            new RequestOptions { IdempotencyKey = idempotencyKey },
            cancellationToken);
    }

    private async Task<StripeClient> ClientAsync(CancellationToken cancellationToken) => new(
        apiKey: await secrets.GetAsync("STRIPE_SECRET_KEY", cancellationToken),
        httpClient: new SystemNetHttpClient(http.CreateClient(HttpClientName)),
        apiBase: options.Value.StripeApiBase);
}
