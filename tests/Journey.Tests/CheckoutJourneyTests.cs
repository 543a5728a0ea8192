using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stripe;

namespace Journey.Tests;

/// <summary>
/// register → log in → nearest store → reserve → pay → Stripe confirms and sends the webhook → SQS → inventory,
/// through the load balancer with every service a process of its own.
/// </summary>
public sealed class CheckoutJourneyTests : IClassFixture<Stack>
{
    private readonly Stack _stack;

    public CheckoutJourneyTests(Stack stack) => _stack = stack;

    [StackFact]
    public async Task A_paid_reservation_is_committed_and_the_stock_leaves_the_shelf_all_in_the_checkouts_one_trace()
    {
        var customer = await _stack.NewCustomerAsync();
        var store = await NearestStoreAsync(53.3438, -6.2546); // Trinity College, Dublin
        var (first, second) = (await InStockAsync(store, 0), await InStockAsync(store, 1));
        // The checkout's trace, as a storefront would start it: every request of the checkout carries it.
        var trace = ActivityTraceId.CreateRandom();
        customer.DefaultRequestHeaders.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        var reservation = await ReserveAsync(customer, store, (first.Id, 1), (second.Id, 1));
        var payment = await PayAsync(customer, reservation.GetProperty("id").GetGuid());
        await _stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });

        await Stack.Eventually(async () => await StatusAsync(customer, reservation) == "committed", "the commit");
        Assert.Equal("succeeded", await PaymentStatusAsync(customer, payment));
        Assert.Equal(reservation.GetProperty("totalCents").GetInt64(), payment.GetProperty("amountCents").GetInt64());
        Assert.Equal(first.OnHand - 1, (await StockAsync(first.Id, store)).OnHand);
        Assert.Equal(second.OnHand - 1, (await StockAsync(second.Id, store)).OnHand);
        // Through Stripe's webhook (which knows nothing of it) and SQS: inventory logged its commit in the same trace.
        var commit = await StackLogs.LineAsync("inventory", $"Reservation {reservation.GetProperty("id").GetGuid()} committed");
        Assert.Equal(trace.ToString(), StackLogs.TraceIdOf(commit));
    }

    [StackFact]
    public async Task A_declined_card_releases_the_reservation_and_the_stock_comes_back()
    {
        var customer = await _stack.NewCustomerAsync();
        var store = await NearestStoreAsync(48.8809, 2.3553); // Gare du Nord, Paris
        var product = await InStockAsync(store, 0);

        var reservation = await ReserveAsync(customer, store, (product.Id, 1));
        var payment = await PayAsync(customer, reservation.GetProperty("id").GetGuid());
        var declined = await Assert.ThrowsAsync<StripeException>(() =>
            _stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_chargeDeclined" }));

        Assert.Equal("card_declined", declined.StripeError.Code);
        await Stack.Eventually(async () => await StatusAsync(customer, reservation) == "released", "the release");
        Assert.Equal("failed", await PaymentStatusAsync(customer, payment));
        var stock = await StockAsync(product.Id, store);
        Assert.Equal((product.OnHand, product.Reserved), (stock.OnHand, stock.Reserved));
    }

    [StackFact]
    public async Task A_payment_that_arrives_after_the_reservation_expired_and_the_stock_went_is_refunded_in_full()
    {
        var (late, prompt) = (await _stack.NewCustomerAsync(), await _stack.NewCustomerAsync());
        var store = await NearestStoreAsync(51.5308, -0.1238); // King's Cross, London
        var product = await InStockAsync(store, 2);

        var reservation = await ReserveAsync(late, store, (product.Id, product.Available));
        var payment = await PayAsync(late, reservation.GetProperty("id").GetGuid());
        await Stack.Eventually(async () => await StatusAsync(late, reservation) == "released", "the expiry (RESERVATION_TTL is 20 s here)");
        await ReserveAsync(prompt, store, (product.Id, product.Available));
        await _stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });

        await Stack.Eventually(async () => await PaymentStatusAsync(late, payment) == "refunded", "the automatic refund");
        var refunds = await _stack.Stripe.V1.Refunds.ListAsync(new RefundListOptions { PaymentIntent = IntentId(payment) });
        Assert.Equal(payment.GetProperty("amountCents").GetInt64(), refunds.Data.Sum(r => r.Amount));
        Assert.Equal(product.OnHand, (await StockAsync(product.Id, store)).OnHand);
    }

    [StackFact]
    public async Task A_customers_export_holds_their_reservations_and_payments_and_after_erasure_no_service_holds_them_by_id()
    {
        var customer = await _stack.NewCustomerAsync();
        var store = await NearestStoreAsync(52.3791, 4.9003); // Amsterdam Centraal
        var reservation = await ReserveAsync(customer, store, ((await InStockAsync(store, 0)).Id, 1));
        var payment = await PayAsync(customer, reservation.GetProperty("id").GetGuid());
        await _stack.Stripe.V1.PaymentIntents.ConfirmAsync(IntentId(payment), new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        await Stack.Eventually(async () => await StatusAsync(customer, reservation) == "committed", "the commit");

        var export = (await (await customer.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        JsonElement written = default;
        await Stack.Eventually(async () =>
        {
            written = await customer.GetFromJsonAsync<JsonElement>($"/api/customers/me/export/{export}");
            return written.GetProperty("status").GetString() == "completed";
        }, "the export");
        using var download = new HttpClient();
        var document = await download.GetFromJsonAsync<JsonElement>(written.GetProperty("downloadUrl").GetString());

        Assert.Contains(document.GetProperty("inventory").GetProperty("reservations").EnumerateArray(),
            r => r.GetProperty("id").GetGuid() == reservation.GetProperty("id").GetGuid() && r.GetProperty("status").GetString() == "committed");
        Assert.Contains(document.GetProperty("payments").GetProperty("payments").EnumerateArray(),
            p => p.GetProperty("payment").GetProperty("id").GetGuid() == payment.GetProperty("id").GetGuid());

        Assert.Equal(HttpStatusCode.NoContent, (await customer.DeleteAsync(new Uri("/api/customers/me", UriKind.Relative))).StatusCode);

        // The access token outlives the account for its few minutes; by then neither service holds anything under its id.
        await Stack.Eventually(async () =>
            (await customer.GetFromJsonAsync<JsonElement>("/api/inventory/personal-data")).GetProperty("reservations").GetArrayLength() == 0
            && (await customer.GetFromJsonAsync<JsonElement>("/api/payments/personal-data")).GetProperty("payments").GetArrayLength() == 0,
            "inventory and payments acting on customer.erased");
        Assert.Equal(HttpStatusCode.NotFound,
            (await customer.GetAsync(new Uri($"/api/inventory/reservations/{reservation.GetProperty("id").GetGuid()}", UriKind.Relative))).StatusCode);
    }

    private sealed record Level(Guid Id, int OnHand, int Reserved, int Available);

    private async Task<Guid> NearestStoreAsync(double latitude, double longitude)
    {
        var stores = await _stack.Http.GetFromJsonAsync<List<JsonElement>>($"/api/locations/nearby?lat={latitude}&lon={longitude}&radiusKm=50");
        return stores![0].GetProperty("id").GetGuid();
    }

    /// <summary>The <paramref name="skip"/>-th product (by name) with at least two available at the store.</summary>
    private async Task<Level> InStockAsync(Guid store, int skip)
    {
        var products = await _stack.Http.GetFromJsonAsync<JsonElement>("/api/inventory/products?pageSize=100");
        var inStock = new List<Level>();
        foreach (var product in products.GetProperty("items").EnumerateArray())
        {
            var level = await StockAsync(product.GetProperty("id").GetGuid(), store);
            if (level.Available >= 2)
            {
                inStock.Add(level);
            }
        }

        return inStock[skip];
    }

    private async Task<Level> StockAsync(Guid product, Guid store)
    {
        var levels = await _stack.Http.GetFromJsonAsync<List<JsonElement>>($"/api/inventory/products/{product}/stock");
        var level = levels!.Single(l => l.GetProperty("locationId").GetGuid() == store);
        return new Level(product, level.GetProperty("onHand").GetInt32(), level.GetProperty("reserved").GetInt32(), level.GetProperty("available").GetInt32());
    }

    private static async Task<JsonElement> ReserveAsync(HttpClient customer, Guid store, params (Guid Product, int Quantity)[] items)
    {
        var response = await customer.PostAsJsonAsync("/api/inventory/reservations",
            new { locationId = store, items = items.Select(i => new { productId = i.Product, quantity = i.Quantity }) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> PayAsync(HttpClient customer, Guid reservation)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/") { Content = JsonContent.Create(new { reservationId = reservation }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await customer.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string IntentId(JsonElement payment) => payment.GetProperty("clientSecret").GetString()!.Split("_secret_")[0];

    private static async Task<string> StatusAsync(HttpClient customer, JsonElement reservation) =>
        (await customer.GetFromJsonAsync<JsonElement>($"/api/inventory/reservations/{reservation.GetProperty("id").GetGuid()}"))
            .GetProperty("status").GetString()!;

    private static async Task<string> PaymentStatusAsync(HttpClient customer, JsonElement payment) =>
        (await customer.GetFromJsonAsync<JsonElement>($"/api/payments/{payment.GetProperty("id").GetGuid()}")).GetProperty("status").GetString()!;
}
