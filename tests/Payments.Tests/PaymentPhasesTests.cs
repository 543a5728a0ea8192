using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;
using Payments.Flows;
using Stripe;
using TestSupport;

namespace Payments.Tests;

/// <summary>
/// Payments with Stripe.net's own retries off (each fault is exactly one failed call), the reconciler's waits cut to a
/// second and low card-testing limits; the reconciler runs only when a test runs it. Each test class gets its own.
/// </summary>
public sealed class PhasesStack : CheckoutStack
{
    protected override IReadOnlyDictionary<string, string> PaymentsSettings => new Dictionary<string, string>
    {
        ["STRIPE_MAX_NETWORK_RETRIES"] = "0",
        ["PAYMENT_RECONCILE_AFTER_SECONDS"] = "1",
        ["PAYMENT_WEBHOOK_WAIT_SECONDS"] = "1",
        ["PAYMENT_RECONCILE_INTERVAL_SECONDS"] = "3600",
        ["MAX_OPEN_PAYMENTS_PER_CUSTOMER"] = "3",
        ["MAX_FAILED_PAYMENTS_PER_HOUR"] = "2",
    };
}

public sealed class PaymentPhasesTests(PhasesStack stack) : IClassFixture<PhasesStack>
{
    private const string PaymentIntents = "POST /v1/payment_intents";
    private const string Refunds = "POST /v1/refunds";
    private readonly Checkout _checkout = new(stack);

    [Fact]
    public async Task Stripe_failing_before_the_call_leaves_a_creating_payment_that_a_retry_with_the_key_finishes_with_one_intent()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.FailBeforeStripe(PaymentIntents);

        var failed = await _checkout.PayAsync(customer, reservation, "k");
        var midway = await _checkout.PaymentRowsAsync(reservation);
        var intentsMidway = await _checkout.IntentsForAsync(reservation);
        var retried = await _checkout.PayAsync(customer, reservation, "k");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Equal(("creating", null), (Assert.Single(midway).Status, midway[0].StripePaymentIntentId));
        Assert.Empty(intentsMidway);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var intent = Assert.Single(await _checkout.IntentsForAsync(reservation));
        var row = Assert.Single(await _checkout.PaymentRowsAsync(reservation));
        Assert.Equal((intent.Id, "requires_payment_method"), (row.StripePaymentIntentId, row.Status));
        Assert.Equal(intent.ClientSecret, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString());
    }

    [Fact]
    public async Task An_answer_lost_after_stripe_made_the_intent_is_finished_by_a_retry_with_that_same_intent()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.LoseAnswer(PaymentIntents);

        var lost = await _checkout.PayAsync(customer, reservation, "k");
        var made = Assert.Single(await _checkout.IntentsForAsync(reservation));
        var retried = await _checkout.PayAsync(customer, reservation, "k");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(made.Id, Assert.Single(await _checkout.IntentsForAsync(reservation)).Id);
        Assert.Equal(made.Id, Assert.Single(await _checkout.PaymentRowsAsync(reservation)).StripePaymentIntentId);
        Assert.Equal(made.ClientSecret, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString());
    }

    [Fact]
    public async Task The_reconciler_finishes_a_payment_whose_client_never_came_back_with_the_one_intent_stripe_made()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.LoseAnswer(PaymentIntents);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _checkout.PayAsync(customer, reservation, "k")).StatusCode);
        var made = Assert.Single(await _checkout.IntentsForAsync(reservation));

        await ReconcileAsync();

        var row = Assert.Single(await _checkout.PaymentRowsAsync(reservation));
        Assert.Equal((made.Id, "requires_payment_method"), (row.StripePaymentIntentId, row.Status));
        Assert.Single(await _checkout.IntentsForAsync(reservation));
    }

    [Fact]
    public async Task Twenty_identical_creates_racing_while_stripe_is_slow_make_one_intent_and_one_row()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.Latency = TimeSpan.FromMilliseconds(300);
        try
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _checkout.PayAsync(customer, reservation, "racing")));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
            Assert.Single(ids.Distinct());
            Assert.Single(await _checkout.IntentsForAsync(reservation));
            Assert.Single(await _checkout.PaymentRowsAsync(reservation));
        }
        finally
        {
            stack.StripeFaults.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_webhook_that_comes_before_the_intent_is_recorded_is_applied_to_its_payment()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.LoseAnswer(PaymentIntents);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _checkout.PayAsync(customer, reservation, "k")).StatusCode);
        var made = Assert.Single(await _checkout.IntentsForAsync(reservation));

        await stack.Stripe.V1.PaymentIntents.ConfirmAsync(made.Id, new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });

        var row = Assert.Single(await _checkout.PaymentRowsAsync(reservation));
        Assert.Equal((made.Id, "succeeded"), (row.StripePaymentIntentId, row.Status));
        await Eventually.HoldsAsync(async () => await _checkout.ReservationStatusAsync(reservation) == "committed", "the commit");
    }

    [Fact]
    public async Task A_webhook_for_a_payment_that_is_not_recorded_yet_is_refused_with_503_and_leaves_no_trace()
    {
        var intent = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = $"pi_{Guid.NewGuid():N}", ["object"] = "payment_intent", ["amount"] = 1000, ["currency"] = "eur", ["status"] = "succeeded",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["payment_id"] = Guid.CreateVersion7().ToString() },
        };
        var body = StripeWebhook.Event("payment_intent.succeeded", intent);

        var response = await StripeWebhook.DeliverAsync(stack.Payments.CreateClient(), body,
            EventUtility.GenerateSignatureHeader(body, CheckoutStack.WebhookSecret));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var eventId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        Assert.False(await _checkout.WithDbAsync(db => db.StripeEvents.AnyAsync(e => e.Id == eventId)),
            "the event id must not be recorded, so Stripe's retry is applied");
    }

    [Fact]
    public async Task A_refund_of_a_charge_without_a_payment_intent_touches_no_payment_still_being_created()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.FailBeforeStripe(PaymentIntents);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _checkout.PayAsync(customer, reservation, "k")).StatusCode);
        var charge = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = $"ch_{Guid.NewGuid():N}", ["object"] = "charge", ["amount"] = 1000, ["amount_refunded"] = 1, ["currency"] = "eur",
            ["payment_intent"] = null, ["refunded"] = false,
        };
        var body = StripeWebhook.Event("charge.refunded", charge);

        var response = await StripeWebhook.DeliverAsync(stack.Payments.CreateClient(), body,
            EventUtility.GenerateSignatureHeader(body, CheckoutStack.WebhookSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await _checkout.PaymentRowsAsync(reservation));
        Assert.Equal(("creating", 0L), (row.Status, row.RefundedCents));
        var events = await _checkout.WithDbAsync(db => db.Set<Platform.Messaging.OutboxMessage>().Select(m => m.Body).ToListAsync());
        Assert.DoesNotContain(events, body => body.Contains(row.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lost_webhook_is_settled_by_the_reconciler_and_the_reservation_committed()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        var payment = await _checkout.PaidAsync(customer, reservation);
        stack.Webhooks.Lose = true;
        try
        {
            await stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        }
        finally
        {
            stack.Webhooks.Lose = false;
        }

        Assert.Equal("requires_payment_method", await _checkout.PaymentStatusAsync(payment.GetProperty("id").GetGuid()));

        await ReconcileAsync();

        Assert.Equal("succeeded", await _checkout.PaymentStatusAsync(payment.GetProperty("id").GetGuid()));
        await Eventually.HoldsAsync(async () => await _checkout.ReservationStatusAsync(reservation) == "committed", "the commit");
    }

    [Theory]
    [InlineData("fails")]
    [InlineData("hangs")] // a timeout is a failure like any other: it must not end the reconciler, or the process with it
    public async Task A_payment_stripe_cannot_settle_is_asked_about_again_after_half_its_age_not_every_round(string stripe)
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        var payment = await _checkout.PaidAsync(customer, reservation);
        var id = payment.GetProperty("id").GetGuid();
        var retrieve = $"GET /v1/payment_intents/{IntentId(payment)}";
        if (stripe == "hangs")
        {
            stack.StripeFaults.Hang(retrieve);
        }
        else
        {
            stack.StripeFaults.FailBeforeStripe(retrieve);
        }

        stack.PaymentsClock.Shift = TimeSpan.FromHours(4); // its webhook never came, and it is four hours old
        try
        {
            await ReconcileAsync();

            var next = (await PaymentAsync(id)).ReconcileAt;
            Assert.False(stack.StripeFaults.IsArmed(retrieve), "the reconciler asked Stripe, which failed");
            Assert.Equal("requires_payment_method", await _checkout.PaymentStatusAsync(id));
            Assert.True(next - stack.PaymentsClock.GetUtcNow() > TimeSpan.FromMinutes(55), $"asked again at {next}, an hour is due");
        }
        finally
        {
            stack.PaymentsClock.Shift = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_refund_whose_answer_was_lost_is_made_once_by_a_retry_and_once_by_the_reconciler()
    {
        var retried = await SucceededPaymentAsync();
        var reconciled = await SucceededPaymentAsync();
        stack.StripeFaults.LoseAnswer(Refunds);
        var lostByRetry = await RefundAsync(retried.Payment, 2_500, "refund-k");
        var afterRetry = await RefundAsync(retried.Payment, 2_500, "refund-k");
        stack.StripeFaults.LoseAnswer(Refunds);
        var lostByReconciler = await RefundAsync(reconciled.Payment, 2_500, "refund-k");

        await ReconcileAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lostByRetry.StatusCode);
        Assert.Equal(HttpStatusCode.Created, afterRetry.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lostByReconciler.StatusCode);
        Assert.Single(await RefundsAtStripeAsync(retried.Intent));
        Assert.Single(await RefundsAtStripeAsync(reconciled.Intent));
        Assert.Equal(2_500, (await PaymentAsync(reconciled.Payment)).RefundedCents);
    }

    [Fact]
    public async Task The_automatic_refund_of_a_payment_inventory_could_not_commit_is_finished_once_by_the_reconciler_when_its_answer_was_lost()
    {
        var (late, early) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var laptop = await _checkout.NewProductAsync(129_900, onHand: 1);
        var reservation = await _checkout.ReserveAsync(late, (laptop, 1));
        var payment = await _checkout.PaidAsync(late, reservation);
        (await stack.Inventory.ClientWithToken(TestTokens.Customer(late)).PostAsync($"/api/inventory/reservations/{reservation}/release", null))
            .EnsureSuccessStatusCode();
        await _checkout.ReserveAsync(early, (laptop, 1));
        stack.StripeFaults.LoseAnswer(Refunds);

        await stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        var paymentId = payment.GetProperty("id").GetGuid();
        await Eventually.HoldsAsync(() => _checkout.WithDbAsync(db => db.Refunds.AnyAsync(r => r.PaymentId == paymentId)), "the refund's claim");
        await ReconcileAsync();

        var refund = await _checkout.WithDbAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.PaymentId == paymentId));
        Assert.Equal(("succeeded", 129_900L), (refund.Status, refund.AmountCents));
        Assert.Single(await RefundsAtStripeAsync(IntentId(payment)));
        Assert.Equal("refunded", await _checkout.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task Stripe_refusing_a_payment_is_a_502_that_keeps_stripes_words_to_itself_and_frees_the_reservation()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.RefuseKey(PaymentIntents);

        var refused = await _checkout.PayAsync(customer, reservation, "refused");
        var another = await _checkout.PayAsync(customer, reservation, "another");

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.DoesNotContain("API Key", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Created, another.StatusCode);
        Assert.Equal(["canceled", "requires_payment_method"], (await _checkout.PaymentRowsAsync(reservation)).Select(p => p.Status).Order());
    }

    [Fact]
    public async Task A_customer_with_too_many_unpaid_payments_gets_429_with_retry_after_and_nothing_is_made()
    {
        var customer = Guid.CreateVersion7();
        var product = await _checkout.NewProductAsync(1_000, onHand: 10);
        for (var i = 0; i < 3; i++)
        {
            await _checkout.PaidAsync(customer, await _checkout.ReserveAsync(customer, (product, 1)));
        }

        var fourth = await _checkout.ReserveAsync(customer, (product, 1));
        var refused = await _checkout.PayAsync(customer, fourth, "fourth");
        var someoneElse = Guid.CreateVersion7();
        var allowed = await _checkout.PayAsync(someoneElse, await _checkout.ReserveAsync(someoneElse, (product, 1)), "first");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(55), "the oldest open payment leaves the hour in about an hour");
        Assert.Contains("MAX_OPEN_PAYMENTS_PER_CUSTOMER", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _checkout.IntentsForAsync(fourth));
        Assert.Empty(await _checkout.PaymentRowsAsync(fourth));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task Declined_cards_over_the_hourly_limit_refuse_the_customers_next_payment()
    {
        var customer = Guid.CreateVersion7();
        var product = await _checkout.NewProductAsync(1_000, onHand: 10);
        var payment = await _checkout.PaidAsync(customer, await _checkout.ReserveAsync(customer, (product, 1)));
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<StripeException>(() => stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment),
                new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_chargeDeclined" }));
        }

        var next = await _checkout.PayAsync(customer, await _checkout.ReserveAsync(customer, (product, 1)), "after-declines");

        Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
        Assert.Contains("MAX_FAILED_PAYMENTS_PER_HOUR", await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(Guid Payment, string Intent)> SucceededPaymentAsync()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        var payment = await _checkout.PaidAsync(customer, reservation);
        await stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        return (payment.GetProperty("id").GetGuid(), IntentId(payment));
    }

    private Task<HttpResponseMessage> RefundAsync(Guid payment, long amountCents, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/{payment}/refunds") { Content = JsonContent.Create(new { amountCents }) };
        request.Headers.Add("Idempotency-Key", key);
        return stack.Payments.ClientWithToken(TestTokens.Admin()).SendAsync(request);
    }

    /// <summary>Waits past the (one-second) reconcile time, then runs the reconciler as its worker would.</summary>
    private async Task ReconcileAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var reconciler = stack.Payments.Services.GetRequiredService<PaymentReconciler>();
        while (await reconciler.ReconcileOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    private static string IntentId(JsonElement payment) => payment.GetProperty("clientSecret").GetString()!.Split("_secret_")[0];

    private Task<Domain.Payment> PaymentAsync(Guid payment) => _checkout.WithDbAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.Id == payment));

    private async Task<List<Stripe.Refund>> RefundsAtStripeAsync(string intent) =>
        [.. (await stack.Stripe.V1.Refunds.ListAsync(new RefundListOptions { PaymentIntent = intent })).Data];
}
