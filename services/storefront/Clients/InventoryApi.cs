using System.Globalization;

namespace Storefront.Clients;

/// <summary>inventory: the catalogue, stock per store, and the shopper's reservations.</summary>
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

    /// <summary>Every reservation of the shopper (inventory's personal-data answer), newest first.</summary>
    public async Task<IReadOnlyList<Reservation>> MyReservationsAsync(string accessToken, CancellationToken cancellationToken)
    {
        var data = await ApiCalls.SendAsync<InventoryPersonalData>(
            http, Name, ApiCalls.Request(HttpMethod.Get, "api/inventory/personal-data", accessToken), cancellationToken);
        return [.. data.Reservations.OrderByDescending(reservation => reservation.CreatedAt)];
    }
}
