using System.Text;
using System.Text.Json.Nodes;
using Stripe;

namespace Payments.Tests;

/// <summary>Webhook deliveries built here, as Stripe would send them, for what the emulator does not send on its own.</summary>
internal static class StripeWebhook
{
    /// <summary>The body of a Stripe event of <paramref name="type"/> around <paramref name="dataObject"/>.</summary>
    public static string Event(string type, JsonNode dataObject) => new JsonObject
    {
        ["id"] = $"evt_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["type"] = type,
        ["livemode"] = false,
        ["data"] = new JsonObject { ["object"] = dataObject },
    }.ToJsonString();

    /// <summary>Posts <paramref name="body"/> to payments' webhook with <paramref name="signature"/> (none when null).</summary>
    public static Task<HttpResponseMessage> DeliverAsync(HttpClient payments, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.Add("Stripe-Signature", signature);
        }

        return payments.SendAsync(request);
    }
}
