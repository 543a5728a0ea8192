using System.Text;
using System.Text.Json;

namespace StripeEmulator;

/// <summary>
/// Delivers events to <c>STRIPE_WEBHOOK_URL</c> as Stripe does: a JSON body and a <c>Stripe-Signature</c> header made
/// with <c>WEBHOOK_ENDPOINT_SECRET</c> by Stripe.net's own signer.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, IConfiguration configuration, ILogger<WebhookSender> logger)
{
    public const string Client = "webhooks";

    public async Task DeliverAsync(EventObject stripeEvent)
    {
        if (configuration["STRIPE_WEBHOOK_URL"] is not { Length: > 0 } url || configuration["WEBHOOK_ENDPOINT_SECRET"] is not { Length: > 0 } secret)
        {
            logger.LogInformation("No STRIPE_WEBHOOK_URL and WEBHOOK_ENDPOINT_SECRET; {EventType} {EventId} is not delivered", stripeEvent.Type, stripeEvent.Id);
            return;
        }

        var payload = JsonSerializer.Serialize(stripeEvent, Api.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", Stripe.EventUtility.GenerateSignatureHeader(payload, secret));
        using var response = await http.CreateClient(Client).SendAsync(request);
        logger.LogInformation("Delivered {EventType} {EventId} to {WebhookUrl}: {StatusCode}", stripeEvent.Type, stripeEvent.Id, url, (int)response.StatusCode);
    }
}
