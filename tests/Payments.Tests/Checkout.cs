using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;
using TestSupport;

namespace Payments.Tests;

/// <summary>The steps of a checkout as a customer's client takes them, over the stack's HTTP APIs.</summary>
public sealed class Checkout(CheckoutStack stack)
{
    public Guid Location { get; } = Guid.CreateVersion7();

    public async Task<Guid> NewProductAsync(long priceCents, int onHand)
    {
        var admin = stack.Inventory.ClientWithToken(TestTokens.Admin());
        var created = await admin.PostAsJsonAsync("/api/inventory/products",
            new { sku = $"SKU-{Guid.NewGuid():N}"[..20].ToUpperInvariant(), name = "Test laptop", category = "laptops", priceCents, currency = "EUR" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"/api/inventory/products/{id}/stock/{Location}", new { onHand })).EnsureSuccessStatusCode();
        return id;
    }

    public async Task<Guid> ReserveAsync(Guid customer, params (Guid Product, int Quantity)[] items)
    {
        var response = await stack.Inventory.ClientWithToken(TestTokens.Customer(customer)).PostAsJsonAsync("/api/inventory/reservations",
            new { locationId = Location, items = items.Select(i => new { productId = i.Product, quantity = i.Quantity }) });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Asks payments for a payment; <paramref name="traceParent"/> is the W3C trace context the client's checkout is in.</summary>
    public Task<HttpResponseMessage> PayAsync(Guid customer, Guid reservation, string? idempotencyKey, string? traceParent = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/") { Content = JsonContent.Create(new { reservationId = reservation }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        return stack.Payments.ClientWithToken(TestTokens.Customer(customer)).SendAsync(request);
    }

    public async Task<JsonElement> PaidAsync(Guid customer, Guid reservation, string? idempotencyKey = null, string? traceParent = null)
    {
        var response = await PayAsync(customer, reservation, idempotencyKey ?? Guid.NewGuid().ToString(), traceParent);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<string> ReservationStatusAsync(Guid reservation) =>
        (await stack.Inventory.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/inventory/reservations/{reservation}"))
            .GetProperty("status").GetString()!;

    public async Task<string> PaymentStatusAsync(Guid payment) =>
        (await stack.Payments.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/payments/{payment}"))
            .GetProperty("status").GetString()!;

    public async Task<JsonElement> StockAsync(Guid product) =>
        (await stack.Inventory.CreateClient().GetFromJsonAsync<List<JsonElement>>($"/api/inventory/products/{product}/stock"))!
            .Single(s => s.GetProperty("locationId").GetGuid() == Location);

    /// <summary>A new customer with a pending reservation of one unit of a new product.</summary>
    public async Task<(Guid Customer, Guid Reservation)> NewReservationAsync()
    {
        var customer = Guid.CreateVersion7();
        return (customer, await ReserveAsync(customer, (await NewProductAsync(10_000, onHand: 5), 1)));
    }

    /// <summary>The PaymentIntents Stripe holds for a reservation, whoever made them.</summary>
    public async Task<List<Stripe.PaymentIntent>> IntentsForAsync(Guid reservation) =>
        [.. (await stack.Stripe.V1.PaymentIntents.ListAsync()).Data.Where(i => i.Metadata.GetValueOrDefault("reservation_id") == reservation.ToString())];

    public Task<List<Domain.Payment>> PaymentRowsAsync(Guid reservation) =>
        WithDbAsync(db => db.Payments.AsNoTracking().Where(p => p.ReservationId == reservation).ToListAsync());

    public async Task<T> WithDbAsync<T>(Func<PaymentsDb, Task<T>> read)
    {
        await using var scope = stack.Payments.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PaymentsDb>());
    }
}
