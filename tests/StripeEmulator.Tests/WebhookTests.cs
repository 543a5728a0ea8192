using System.Net.Http.Json;
using System.Text.Json;
using Stripe;
using TestSupport;

namespace StripeEmulator.Tests;

public sealed class WebhookTests
{
    [Fact]
    public async Task A_webhook_refused_twice_is_delivered_on_the_third_attempt_each_freshly_signed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failures: 2);
        await using var emulator = await StartAsync(receiver, new() { ["STRIPE_EMULATOR_WEBHOOK_RETRY_SECONDS"] = "0.05" });

        var eventId = await ConfirmAsync(emulator);

        await Eventually.HoldsAsync(async () => await StatusAsync(emulator, eventId) is ("delivered", _), "delivery of the retried webhook");
        Assert.Equal(("delivered", 3), await StatusAsync(emulator, eventId));
        var attempts = receiver.AttemptsOf(eventId);
        Assert.Equal([500, 500, 200], attempts.Select(a => a.AnsweredWith));
        Assert.All(attempts, a => Assert.True(a.SignatureValid));
    }

    [Fact]
    public async Task A_webhook_never_accepted_is_given_up_after_the_maximum_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failures: int.MaxValue);
        await using var emulator = await StartAsync(receiver, new()
        {
            ["STRIPE_EMULATOR_WEBHOOK_RETRY_SECONDS"] = "0.02",
            ["STRIPE_EMULATOR_WEBHOOK_MAX_ATTEMPTS"] = "4",
        });

        var eventId = await ConfirmAsync(emulator);

        await Eventually.HoldsAsync(async () => await StatusAsync(emulator, eventId) is ("failed", _), "giving up on the webhook");
        Assert.Equal(("failed", 4), await StatusAsync(emulator, eventId));
        Assert.Equal(4, receiver.AttemptsOf(eventId).Count);
    }

    [Fact]
    public async Task A_dropped_webhook_is_never_delivered_nor_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failures: 0);
        await using var emulator = await StartAsync(receiver, new()
        {
            ["STRIPE_EMULATOR_DROP_WEBHOOK_RATE"] = "1",
            ["STRIPE_EMULATOR_WEBHOOK_RETRY_SECONDS"] = "0.01",
        });

        var dropped = await ConfirmAsync(emulator);
        Assert.Equal(("dropped", 0), await StatusAsync(emulator, dropped));
        // The event itself happened: Stripe lists it, so a reconciler can find what the webhook did not bring.
        Assert.Contains(await emulator.Stripe().V1.Events.ListAsync(), e => e.Id == dropped);

        (await emulator.Control.PutAsJsonAsync("/_emulator/faults", new { drop_webhook_rate = 0 })).EnsureSuccessStatusCode();
        var delivered = await ConfirmAsync(emulator);

        Assert.Equal(("delivered", 1), await StatusAsync(emulator, delivered));
        Assert.Equal([delivered], receiver.Attempts.Select(a => a.EventId));
        Assert.Equal(("dropped", 0), await StatusAsync(emulator, dropped));
    }

    [Fact]
    public async Task A_webhook_carries_no_trace_context_as_Stripe_sends_none()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failures: 0);
        await using var emulator = await StartAsync(receiver, []);
        var intent = await emulator.Stripe().V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions { Amount = 1500, Currency = "eur" });

        // A traced confirm: payments' sampler follows a webhook's parent, so the emulator's own (unsampled) trace
        // passed on would drop the webhook's trace, and with it the event through SQS.
        using var confirm = new HttpRequestMessage(HttpMethod.Post, new Uri($"/v1/payment_intents/{intent.Id}/confirm", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("payment_method", "pm_card_visa")]),
        };
        confirm.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        (await emulator.Http(Emulator.Key).SendAsync(confirm)).EnsureSuccessStatusCode();

        var attempt = Assert.Single(receiver.Attempts);
        Assert.Null(attempt.TraceParent);
    }

    private static Task<Emulator> StartAsync(WebhookReceiver receiver, Dictionary<string, string> settings)
    {
        settings["STRIPE_WEBHOOK_URL"] = receiver.Url;
        settings["WEBHOOK_ENDPOINT_SECRET"] = WebhookReceiver.Secret;
        return Emulator.StartAsync(settings);
    }

    /// <summary>Creates and confirms an intent; the id of the payment_intent.succeeded event it raised.</summary>
    private static async Task<string> ConfirmAsync(Emulator emulator)
    {
        var stripe = emulator.Stripe();
        var intent = await stripe.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions { Amount = 1500, Currency = "eur" });
        await stripe.V1.PaymentIntents.ConfirmAsync(intent.Id, new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        var events = await stripe.V1.Events.ListAsync();
        return events.Single(e => e.Type == "payment_intent.succeeded" && ((PaymentIntent)e.Data.Object).Id == intent.Id).Id;
    }

    private static async Task<(string? Status, int Attempts)> StatusAsync(Emulator emulator, string eventId)
    {
        var deliveries = await emulator.Control.GetFromJsonAsync<JsonElement>("/_emulator/webhooks");
        foreach (var delivery in deliveries.EnumerateArray())
        {
            if (delivery.GetProperty("event_id").GetString() == eventId)
            {
                return (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32());
            }
        }

        return (null, 0);
    }
}
