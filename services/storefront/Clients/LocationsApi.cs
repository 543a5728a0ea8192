using System.Globalization;

namespace Storefront.Clients;

/// <summary>locations: the cities with a store, the stores, and the ones nearest a point.</summary>
public sealed class LocationsApi(HttpClient http)
{
    public const string Name = "locations";

    public const int MaxPageSize = 100;

    public Task<PageOf<Store>> StoresAsync(string? city, int page, CancellationToken cancellationToken)
    {
        var path = $"api/locations/?page={page.ToString(CultureInfo.InvariantCulture)}&pageSize={MaxPageSize.ToString(CultureInfo.InvariantCulture)}";
        if (!string.IsNullOrWhiteSpace(city))
        {
            path += "&city=" + Uri.EscapeDataString(city);
        }

        return ApiCalls.SendAsync<PageOf<Store>>(http, Name, ApiCalls.Request(HttpMethod.Get, path), cancellationToken);
    }

    public Task<PageOf<City>> CitiesAsync(int page, CancellationToken cancellationToken)
    {
        var path = $"api/locations/cities?page={page.ToString(CultureInfo.InvariantCulture)}&pageSize={MaxPageSize.ToString(CultureInfo.InvariantCulture)}";
        return ApiCalls.SendAsync<PageOf<City>>(http, Name, ApiCalls.Request(HttpMethod.Get, path), cancellationToken);
    }

    public Task<Store> StoreAsync(Guid id, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Store>(http, Name, ApiCalls.Request(HttpMethod.Get, $"api/locations/{id}"), cancellationToken);

    /// <summary>Opens a store (<paramref name="id"/> null) or replaces one's details and hours (admin).</summary>
    public Task<Store> SaveStoreAsync(Guid? id, StoreDetails store, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Store>(http, Name, ApiCalls.CreateOrReplace("api/locations/", id, accessToken, store), cancellationToken);

    public Task DeleteStoreAsync(Guid id, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync(http, Name, ApiCalls.Request(HttpMethod.Delete, $"api/locations/{id}", accessToken), cancellationToken);

    public Task<IReadOnlyList<Store>> NearbyAsync(double latitude, double longitude, int limit, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"api/locations/nearby?lat={latitude}&lon={longitude}&limit={limit}");
        return ApiCalls.SendAsync<IReadOnlyList<Store>>(http, Name, ApiCalls.Request(HttpMethod.Get, path), cancellationToken);
    }
}
