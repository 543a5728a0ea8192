using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;
using Stripe;

using TestSupport;

namespace Payments.Tests;

public sealed class WebhookTests(CheckoutStack stack) : IClassFixture<CheckoutStack>
{
    private readonly Checkout _checkout = new(stack);

    [Fact]
    public async Task A_confirmed_payment_commits_the_reservation_and_the_stock_leaves_the_shelf()
    {
        var customer = Guid.CreateVersion7();
        var laptop = await _checkout.NewProductAsync(129_900, onHand: 3);
        var reservation = await _checkout.ReserveAsync(customer, (laptop, 2));
        var payment = await _checkout.PaidAsync(customer, reservation);
        using var metrics = new MetricsRecorder(stack.Payments.Services);

        await stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });

        Assert.Equal("succeeded", await _checkout.PaymentStatusAsync(payment.GetProperty("id").GetGuid()));
        Assert.Equal(1, metrics.Sum("payments.settled", ("outcome", "succeeded")));
        Assert.Equal(1, metrics.Sum("payments.settled"));
        Assert.NotEmpty(metrics.Values("payments.webhook.delay"));
        Assert.All(metrics.Values("payments.webhook.delay"), seconds => Assert.InRange(seconds, 0, 60));
        await Eventually.HoldsAsync(async () => await _checkout.ReservationStatusAsync(reservation) == "committed", "the commit");
        var stock = await _checkout.StockAsync(laptop);
        Assert.Equal((1, 0), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
    }

    [Fact]
    public async Task A_declined_card_fails_the_payment_and_releases_the_stock()
    {
        var customer = Guid.CreateVersion7();
        var laptop = await _checkout.NewProductAsync(129_900, onHand: 3);
        var reservation = await _checkout.ReserveAsync(customer, (laptop, 2));
        var payment = await _checkout.PaidAsync(customer, reservation);
        using var metrics = new MetricsRecorder(stack.Payments.Services);

        var declined = await Assert.ThrowsAsync<StripeException>(() =>
            stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_chargeDeclined" }));

        Assert.Equal("card_declined", declined.StripeError.Code);
        Assert.Equal("failed", await _checkout.PaymentStatusAsync(payment.GetProperty("id").GetGuid()));
        Assert.Equal(1, metrics.Sum("payments.settled", ("outcome", "failed")));
        Assert.Equal(1, metrics.Sum("payments.settled"));
        await Eventually.HoldsAsync(async () => await _checkout.ReservationStatusAsync(reservation) == "released", "the release");
        var stock = await _checkout.StockAsync(laptop);
        Assert.Equal((3, 0), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
    }

    [Fact]
    public async Task The_same_event_twice_is_processed_once()
    {
        var (payment, succeeded) = await SucceededEventAsync();
        using var metrics = new MetricsRecorder(stack.Payments.Services);

        var first = await DeliverAsync(succeeded, Sign(succeeded));
        var again = await DeliverAsync(succeeded, Sign(succeeded));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("succeeded", await _checkout.PaymentStatusAsync(payment));
        Assert.Equal(1, await OutboxCountAsync(payment));
        Assert.Equal(1, metrics.Sum("payments.settled", ("outcome", "succeeded")));
        Assert.Single(metrics.Values("payments.webhook.delay"));
    }

    [Fact]
    public async Task A_late_processing_event_does_not_overwrite_succeeded()
    {
        var (payment, succeeded) = await SucceededEventAsync();
        var processing = Retyped(succeeded, "payment_intent.processing", "processing");

        await DeliverAsync(succeeded, Sign(succeeded));
        var late = await DeliverAsync(processing, Sign(processing));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal("succeeded", await _checkout.PaymentStatusAsync(payment));
        Assert.Equal(1, await OutboxCountAsync(payment));
    }

    [Theory]
    [InlineData("tampered body")]
    [InlineData("wrong secret")]
    [InlineData("missing signature")]
    [InlineData("stale timestamp")]
    public async Task An_unverifiable_webhook_is_400_and_changes_nothing(string defect)
    {
        var (payment, succeeded) = await SucceededEventAsync();
        var (body, signature) = defect switch
        {
            "tampered body" => (succeeded.Replace("\"succeeded\"", "\"canceled\"", StringComparison.Ordinal), Sign(succeeded)),
            "wrong secret" => (succeeded, EventUtility.GenerateSignatureHeader(succeeded, "whsec_someone_else")),
            "missing signature" => (succeeded, null),
            _ => (succeeded,
                EventUtility.GenerateSignatureHeader(succeeded, CheckoutStack.WebhookSecret, DateTimeOffset.UtcNow.AddSeconds(-301).ToUnixTimeSeconds())),
        };

        var response = await DeliverAsync(body, signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("requires_payment_method", await _checkout.PaymentStatusAsync(payment));
        Assert.Equal(0, await OutboxCountAsync(payment));
    }

    private static string IntentId(JsonElement payment) => payment.GetProperty("clientSecret").GetString()!.Split("_secret_")[0];

    /// <summary>A payment and the body of a <c>payment_intent.succeeded</c> event for it, not delivered yet.</summary>
    private async Task<(Guid Payment, string Event)> SucceededEventAsync()
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));
        var payment = await _checkout.PaidAsync(customer, reservation);
        var intent = JsonNode.Parse((await stack.Stripe.V1.PaymentIntents.GetAsync(IntentId(payment))).RawJsonElement!.Value.GetRawText())!;
        intent["status"] = "succeeded";
        return (payment.GetProperty("id").GetGuid(), StripeWebhook.Event("payment_intent.succeeded", intent));
    }

    private static string Retyped(string stripeEvent, string type, string status)
    {
        var body = JsonNode.Parse(stripeEvent)!;
        body["id"] = $"evt_{Guid.NewGuid():N}";
        body["type"] = type;
        body["data"]!["object"]!["status"] = status;
        return body.ToJsonString();
    }

    private static string Sign(string body) => EventUtility.GenerateSignatureHeader(body, CheckoutStack.WebhookSecret);

    private Task<HttpResponseMessage> DeliverAsync(string body, string? signature) =>
        StripeWebhook.DeliverAsync(stack.Payments.CreateClient(), body, signature);

    private async Task<int> OutboxCountAsync(Guid payment)
    {
        await using var scope = stack.Payments.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var bodies = await db.Set<Platform.Messaging.OutboxMessage>().Select(m => m.Body).ToListAsync();
        return bodies.Count(b => b.Contains(payment.ToString(), StringComparison.Ordinal));
    }
}
