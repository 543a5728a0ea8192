using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stripe;
using TestSupport;

namespace Payments.Tests;

public sealed class RefundTests(CheckoutStack stack) : IClassFixture<CheckoutStack>
{
    private readonly Checkout _checkout = new(stack);

    [Fact]
    public async Task An_admin_refunds_in_parts_up_to_what_was_captured_and_no_further()
    {
        var payment = await SucceededPaymentAsync(10_000);

        var part = await RefundAsync(payment, 4_000, "part");
        var afterPart = await stack.Payments.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/payments/{payment}");
        var tooMuch = await RefundAsync(payment, 6_001, "too-much");
        var rest = await RefundAsync(payment, null, "rest");
        var again = await RefundAsync(payment, 1, "again");

        Assert.Equal(HttpStatusCode.Created, part.StatusCode);
        Assert.Equal(4_000, (await part.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amountCents").GetInt64());
        Assert.Equal(("partially_refunded", 4_000), (afterPart.GetProperty("status").GetString(), afterPart.GetProperty("refundedCents").GetInt64()));
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        Assert.Equal(6_000, (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amountCents").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var read = await stack.Payments.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/payments/{payment}");
        Assert.Equal(("refunded", 10_000), (read.GetProperty("status").GetString(), read.GetProperty("refundedCents").GetInt64()));
    }

    [Fact]
    public async Task The_same_refund_request_twice_refunds_once()
    {
        var payment = await SucceededPaymentAsync(10_000);

        var first = await RefundAsync(payment, 3_000, "same");
        var repeat = await RefundAsync(payment, 3_000, "same");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString(),
            (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        var read = await stack.Payments.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/payments/{payment}");
        Assert.Equal(3_000, read.GetProperty("refundedCents").GetInt64());
    }

    [Fact]
    public async Task Refunds_need_an_admin_a_key_and_a_succeeded_payment()
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));
        var unpaid = (await _checkout.PaidAsync(customer, reservation)).GetProperty("id").GetGuid();

        var byCustomer = await stack.Payments.ClientWithToken(TestTokens.Customer(customer)).PostAsJsonAsync($"/api/payments/{unpaid}/refunds", new { });
        var noKey = await stack.Payments.ClientWithToken(TestTokens.Admin()).PostAsJsonAsync($"/api/payments/{unpaid}/refunds", new { });
        var notSucceeded = await RefundAsync(unpaid, null, "k");
        var unknown = await RefundAsync(Guid.CreateVersion7(), null, "k");

        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notSucceeded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_payment_that_succeeds_after_its_reservation_lapsed_and_the_stock_went_elsewhere_is_refunded_in_full()
    {
        var (late, early) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var laptop = await _checkout.NewProductAsync(129_900, onHand: 2);
        var reservation = await _checkout.ReserveAsync(late, (laptop, 2));
        var payment = await _checkout.PaidAsync(late, reservation);
        // The reservation lapses (released, as the sweeper does at expiry) and another customer takes the stock.
        (await stack.Inventory.ClientWithToken(TestTokens.Customer(late)).PostAsync($"/api/inventory/reservations/{reservation}/release", null))
            .EnsureSuccessStatusCode();
        await _checkout.ReserveAsync(early, (laptop, 2));

        await stack.Stripe.V1.PaymentIntents.ConfirmAsync(payment.GetProperty("clientSecret").GetString()!.Split("_secret_")[0],
            new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });

        await Eventually.HoldsAsync(async () => await _checkout.PaymentStatusAsync(payment.GetProperty("id").GetGuid()) == "refunded", "the automatic refund");
        var stock = await _checkout.StockAsync(laptop);
        Assert.Equal((2, 2), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
        Assert.Equal("released", await _checkout.ReservationStatusAsync(reservation));
    }

    private async Task<Guid> SucceededPaymentAsync(long priceCents)
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(priceCents, onHand: 5), 1));
        var payment = await _checkout.PaidAsync(customer, reservation);
        await stack.Stripe.V1.PaymentIntents.ConfirmAsync(payment.GetProperty("clientSecret").GetString()!.Split("_secret_")[0],
            new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        return payment.GetProperty("id").GetGuid();
    }

    private Task<HttpResponseMessage> RefundAsync(Guid payment, long? amountCents, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/{payment}/refunds") { Content = JsonContent.Create(new { amountCents }) };
        request.Headers.Add("Idempotency-Key", key);
        return stack.Payments.ClientWithToken(TestTokens.Admin()).SendAsync(request);
    }
}
