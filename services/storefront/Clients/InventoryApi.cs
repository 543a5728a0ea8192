using System.Globalization;

namespace Storefront.Clients;

/// <summary>inventory: the catalogue, stock per store, the shopper's reservations, and the admin's changes to them.</summary>
public sealed class InventoryApi(HttpClient http)
{
    public const string Name = "inventory";

    public Task<PageOf<Product>> ProductsAsync(string? search, string? category, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = new List<string>
        {
            "page=" + page.ToString(CultureInfo.InvariantCulture),
            "pageSize=" + pageSize.ToString(CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(search))
        {
            query.Add("search=" + Uri.EscapeDataString(search));
        }

        if (!string.IsNullOrWhiteSpace(category))
        {
            query.Add("category=" + Uri.EscapeDataString(category));
        }

        return ApiCalls.SendAsync<PageOf<Product>>(
            http, Name, ApiCalls.Request(HttpMethod.Get, "api/inventory/products?" + string.Join('&', query)), cancellationToken);
    }

    public Task<Product> ProductAsync(Guid id, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Product>(http, Name, ApiCalls.Request(HttpMethod.Get, $"api/inventory/products/{id}"), cancellationToken);

    public Task<IReadOnlyList<Stock>> StockAsync(Guid productId, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<IReadOnlyList<Stock>>(http, Name, ApiCalls.Request(HttpMethod.Get, $"api/inventory/products/{productId}/stock"), cancellationToken);

    public Task<Reservation> ReserveAsync(NewReservation reservation, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Reservation>(
            http, Name, ApiCalls.Request(HttpMethod.Post, "api/inventory/reservations", accessToken, reservation), cancellationToken);

    public Task<Reservation> ReservationAsync(Guid id, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Reservation>(http, Name, ApiCalls.Request(HttpMethod.Get, $"api/inventory/reservations/{id}", accessToken), cancellationToken);

    public Task<Reservation> ReleaseAsync(Guid id, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Reservation>(
            http, Name, ApiCalls.Request(HttpMethod.Post, $"api/inventory/reservations/{id}/release", accessToken), cancellationToken);

    /// <summary>Adds a product (<paramref name="id"/> null) or replaces one (admin).</summary>
    public Task<Product> SaveProductAsync(Guid? id, ProductDetails product, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Product>(http, Name, ApiCalls.CreateOrReplace("api/inventory/products", id, accessToken, product), cancellationToken);

    public Task DeleteProductAsync(Guid id, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync(http, Name, ApiCalls.Request(HttpMethod.Delete, $"api/inventory/products/{id}", accessToken), cancellationToken);

    /// <summary>Sets what a store has of a product (admin); inventory refuses less than it holds for reservations.</summary>
    public Task<Stock> SetStockAsync(Guid productId, Guid locationId, int onHand, string accessToken, CancellationToken cancellationToken)
    {
        var path = $"api/inventory/products/{productId}/stock/{locationId}";
        return ApiCalls.SendAsync<Stock>(http, Name, ApiCalls.Request(HttpMethod.Put, path, accessToken, new { onHand }), cancellationToken);
    }

    /// <summary>Where to PUT a new picture of a product: a presigned URL bound to this type and length (admin).</summary>
    public Task<ImageUpload> ImageUploadAsync(
        Guid productId, string contentType, long contentLength, string accessToken, CancellationToken cancellationToken)
    {
        var request = ApiCalls.Request(HttpMethod.Post, $"api/inventory/products/{productId}/images", accessToken, new { contentType, contentLength });
        return ApiCalls.SendAsync<ImageUpload>(http, Name, request, cancellationToken);
    }

    /// <summary>Unlinks a picture from its product (admin), by its key or a URL of it (either ends in the key's last part).</summary>
    public Task RemoveImageAsync(Guid productId, string key, string accessToken, CancellationToken cancellationToken)
    {
        var path = $"api/inventory/products/{productId}/images/{Uri.EscapeDataString(key[(key.LastIndexOf('/') + 1)..])}";
        return ApiCalls.SendAsync(http, Name, ApiCalls.Request(HttpMethod.Delete, path, accessToken), cancellationToken);
    }

    /// <summary>Every reservation of the shopper (inventory's personal-data answer), newest first.</summary>
    public async Task<IReadOnlyList<Reservation>> MyReservationsAsync(string accessToken, CancellationToken cancellationToken)
    {
        var data = await ApiCalls.SendAsync<InventoryPersonalData>(
            http, Name, ApiCalls.Request(HttpMethod.Get, "api/inventory/personal-data", accessToken), cancellationToken);
        return [.. data.Reservations.OrderByDescending(reservation => reservation.CreatedAt)];
    }
}
