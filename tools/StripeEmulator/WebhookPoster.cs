using System.Text;
using System.Text.Json;

namespace StripeEmulator;

/// <summary>
/// One delivery attempt of an event to <c>STRIPE_WEBHOOK_URL</c> as Stripe makes it: a JSON body and a
/// <c>Stripe-Signature</c> header made with <c>WEBHOOK_ENDPOINT_SECRET</c> by Stripe.net's own signer, signed afresh
/// each attempt (the signature carries its time). A connection error, a timeout or a non-2xx answer is a failed attempt.
/// </summary>
public sealed class WebhookPoster(IHttpClientFactory http, IConfiguration configuration, WebhookDeliveries deliveries, ILogger<WebhookPoster> logger)
{
    /// <summary>Stripe does not publish its own; it asks endpoints to answer 2xx before doing any slow work.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public bool Configured => Url is not null && Secret is not null;

    private string? Url => configuration["STRIPE_WEBHOOK_URL"] is { Length: > 0 } url ? url : null;

    private string? Secret => configuration["WEBHOOK_ENDPOINT_SECRET"] is { Length: > 0 } secret ? secret : null;

    /// <summary>Posts the event once; true when the endpoint answered 2xx. The caller's cancellation still throws.</summary>
    public async Task<bool> TryAsync(EventObject stripeEvent, int attempt, bool lastAttempt, CancellationToken cancellationToken)
    {
        var url = Url!;
        var payload = JsonSerializer.Serialize(stripeEvent, Api.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", Stripe.EventUtility.GenerateSignatureHeader(payload, Secret!));
        string failure;
        try
        {
            using var response = await http.CreateClient(WebhookSender.Client).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                logger.LogInformation("Webhook {EventType} {EventId} attempt {Attempt} to {WebhookUrl}: {StatusCode}",
                    stripeEvent.Type, stripeEvent.Id, attempt, url, (int)response.StatusCode);
                deliveries.Record(stripeEvent, WebhookDeliveries.Delivered, attempt);
                return true;
            }

            failure = $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException exception)
        {
            failure = exception.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"no answer within {Timeout.TotalSeconds} s";
        }

        logger.LogWarning("Webhook {EventType} {EventId} attempt {Attempt} to {WebhookUrl} failed: {Failure}",
            stripeEvent.Type, stripeEvent.Id, attempt, url, failure);
        deliveries.Record(stripeEvent, lastAttempt ? WebhookDeliveries.Failed : WebhookDeliveries.Retrying, attempt);
        return false;
    }
}
