using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Security.Tests;

/// <summary>
/// Products of the test's own, made by the admin with one unit at one store: the suite never holds stock another test
/// (the journey's, on a shared stack) counts on, and a product with one unit is below what the journey looks for.
/// </summary>
public static class Shop
{
    public sealed record Shelf(Guid ProductId, Guid LocationId);

    public static async Task<Shelf> NewShelfAsync(this Stack stack, int onHand = 1)
    {
        var admin = (await stack.AdminAsync()).Http;
        var created = await admin.PostAsJsonAsync("/api/inventory/products", new
        {
            sku = $"SEC-{Guid.NewGuid():N}".ToUpperInvariant(),
            name = $"zz security suite {Guid.NewGuid():N}",
            description = "Made by the security suite.",
            category = "security-suite",
            priceCents = 1999,
            currency = "EUR",
        });
        var product = (await created.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var stores = await stack.Anonymous().Http.GetJsonAsync("/api/locations/?pageSize=100");
        var location = stores.GetProperty("items").EnumerateArray().Last().GetProperty("id").GetGuid();
        var stocked = await admin.PutAsJsonAsync($"/api/inventory/products/{product}/stock/{location}", new { onHand });
        await stocked.JsonAsync(HttpStatusCode.OK);
        return new Shelf(product, location);
    }

    public static async Task<JsonElement> ReserveAsync(this HttpClient customer, Shelf shelf, int quantity = 1)
    {
        var response = await customer.PostAsJsonAsync("/api/inventory/reservations",
            new { locationId = shelf.LocationId, items = new[] { new { productId = shelf.ProductId, quantity } } });
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> PayAsync(this HttpClient customer, Guid reservationId)
    {
        var response = await customer.SendAsync(PaymentRequest(reservationId, Guid.NewGuid().ToString()));
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    public static HttpRequestMessage PaymentRequest(Guid reservationId, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/") { Content = JsonContent.Create(new { reservationId }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    public static async Task<JsonElement> StockAsync(this Stack stack, Shelf shelf)
    {
        var levels = await stack.Anonymous().Http.GetJsonAsync($"/api/inventory/products/{shelf.ProductId}/stock");
        return levels.EnumerateArray().Single(level => level.GetProperty("locationId").GetGuid() == shelf.LocationId);
    }
}
