using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Domain;
using Platform.Messaging;
using Stripe;
using TestSupport;
using EventTypes = Platform.Messaging.EventTypes;

namespace Payments.Tests;

public sealed class CustomerErasureTests(CheckoutStack stack) : IClassFixture<CheckoutStack>
{
    private readonly Checkout _checkout = new(stack);

    [Fact]
    public async Task Personal_data_is_the_callers_payments_with_their_refunds_and_declines_and_nobody_elses()
    {
        var (customer, payment) = await PaidForAsync();
        var (_, someoneElses) = await PaidForAsync();
        await RefundAsync(payment, 1_000);
        await stack.Payments.SeedAsync<Data.PaymentsDb>(db => db.PaymentFailures.Add(
            new PaymentFailure { CustomerId = customer, PaymentId = payment, FailedAt = DateTimeOffset.UtcNow }));

        var data = await PersonalDataAsync(customer);

        var only = Assert.Single(data.GetProperty("payments").EnumerateArray());
        Assert.Equal(payment, only.GetProperty("payment").GetProperty("id").GetGuid());
        Assert.Equal(1_000, Assert.Single(only.GetProperty("refunds").EnumerateArray()).GetProperty("amountCents").GetInt64());
        Assert.Equal(payment, Assert.Single(data.GetProperty("declinedAttempts").EnumerateArray()).GetProperty("paymentId").GetGuid());
        Assert.DoesNotContain(someoneElses.ToString(), data.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await stack.Payments.CreateClient().GetAsync(new Uri("/api/payments/personal-data", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Erasure_keeps_payments_and_their_reservations_under_one_pseudonym_and_deletes_keys_and_declines()
    {
        var (customer, payment) = await PaidForAsync();
        var (kept, keptPayment) = await PaidForAsync();
        var reservation = (await _checkout.WithDbAsync(db => db.Payments.SingleAsync(p => p.Id == payment))).ReservationId;
        await Eventually.HoldsAsync(async () => await _checkout.ReservationStatusAsync(reservation) == "committed",
            "inventory committing the paid reservation");
        await stack.Payments.SeedAsync<Data.PaymentsDb>(db => db.PaymentFailures.Add(
            new PaymentFailure { CustomerId = customer, PaymentId = payment, FailedAt = DateTimeOffset.UtcNow }));
        var pseudonym = Guid.NewGuid();

        // As customers publishes it: one event for each service, with the same pseudonym.
        foreach (var queue in new[] { stack.InventoryQueueUrl, stack.PaymentsQueueUrl })
        {
            var erased = EventEnvelope.Create(EventTypes.CustomerErased, "customers", new CustomerErased(customer, pseudonym), DateTimeOffset.UtcNow);
            await TestQueues.Client.SendMessageAsync(queue, JsonSerializer.Serialize(erased, EventEnvelope.Json));
        }

        await Eventually.HoldsAsync(async () => (await _checkout.WithDbAsync(db => db.Payments.SingleAsync(p => p.Id == payment))).CustomerId == pseudonym,
            "payments giving the payment the pseudonym");
        var stillPaid = await _checkout.WithDbAsync(db => db.Payments.SingleAsync(p => p.Id == payment));
        Assert.Equal((PaymentStatus.Succeeded, 10_000), (stillPaid.Status, stillPaid.AmountCents));
        Assert.Equal(0, await _checkout.WithDbAsync(db => db.IdempotencyKeys.CountAsync(k => k.CustomerId == customer || k.CustomerId == pseudonym)));
        Assert.Equal(0, await _checkout.WithDbAsync(db => db.PaymentFailures.CountAsync(f => f.CustomerId == customer || f.CustomerId == pseudonym)));
        Assert.Empty((await PersonalDataAsync(customer)).GetProperty("payments").EnumerateArray());
        await Eventually.HoldsAsync(async () => (await ReservationAsync(reservation)).GetProperty("customerId").GetGuid() == pseudonym,
            "inventory giving the reservation the same pseudonym");
        Assert.Equal(kept, (await _checkout.WithDbAsync(db => db.Payments.SingleAsync(p => p.Id == keptPayment))).CustomerId);
    }

    /// <summary>A new customer's succeeded payment of 100.00 EUR for one unit.</summary>
    private async Task<(Guid Customer, Guid Payment)> PaidForAsync()
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));
        var created = await _checkout.PaidAsync(customer, reservation);
        var payment = created.GetProperty("id").GetGuid();
        await stack.Stripe.V1.PaymentIntents.ConfirmAsync(created.GetProperty("clientSecret").GetString()!.Split("_secret_")[0],
            new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        await Eventually.HoldsAsync(async () => await _checkout.PaymentStatusAsync(payment) == "succeeded", "the payment succeeding");
        return (customer, payment);
    }

    private async Task RefundAsync(Guid payment, long amountCents)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/payments/{payment}/refunds") { Content = JsonContent.Create(new { amountCents }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        (await stack.Payments.ClientWithToken(TestTokens.Admin()).SendAsync(request)).EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> PersonalDataAsync(Guid customer) =>
        await stack.Payments.ClientWithToken(TestTokens.Customer(customer)).GetFromJsonAsync<JsonElement>("/api/payments/personal-data");

    private async Task<JsonElement> ReservationAsync(Guid reservation) =>
        await stack.Inventory.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/inventory/reservations/{reservation}");
}
