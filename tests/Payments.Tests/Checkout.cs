using System.Net.Http.Json;
using System.Text.Json;
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

    public Task<HttpResponseMessage> PayAsync(Guid customer, Guid reservation, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/") { Content = JsonContent.Create(new { reservationId = reservation }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return stack.Payments.ClientWithToken(TestTokens.Customer(customer)).SendAsync(request);
    }

    public async Task<JsonElement> PaidAsync(Guid customer, Guid reservation, string? idempotencyKey = null)
    {
        var response = await PayAsync(customer, reservation, idempotencyKey ?? Guid.NewGuid().ToString());
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
}
