using System.Globalization;
using Microsoft.Extensions.Caching.Memory;

namespace Storefront.Clients;

/// <summary>
/// The stores as pages show them: the cities that have one, a city's stores, one store by id. Each is read from
/// locations at most once a minute per task. No page needs every store: a large chain has a hundred thousand.
/// </summary>
public sealed class StoreDirectory(IServiceScopeFactory scopes) : IDisposable
{
    /// <summary>A list is read up to this many pages of 100: the first 1,000 cities, a city's first 1,000 stores.</summary>
    public const int MaxPages = 10;

    private const string CitiesKey = "cities";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    // Each list or store is one entry; the least used go first past this many.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public Task<IReadOnlyList<City>> CitiesAsync(CancellationToken cancellationToken) =>
        CachedAsync(CitiesKey, locations => EveryPageAsync(page => locations.CitiesAsync(page, cancellationToken)));

    /// <summary>The stores of <paramref name="city"/>, by name; none for a city without a store.</summary>
    public Task<IReadOnlyList<Store>> InCityAsync(string city, CancellationToken cancellationToken) =>
        CachedAsync(CityKey(city), locations => EveryPageAsync(page => locations.StoresAsync(city, page, cancellationToken)));

    /// <summary>
    /// The stores a shopper asked for on a page (its <c>?city=</c>, <c>?lat=</c> and <c>?lon=</c>, as typed): the
    /// <paramref name="nearest"/> ones to their browser's position when it is a valid one, else the stores of the city
    /// they chose, else none.
    /// </summary>
    public async Task<StoreChoice> ChooseAsync(string? city, string? latitude, string? longitude, int nearest, CancellationToken cancellationToken)
    {
        if (Coordinate(latitude, 90) is { } lat && Coordinate(longitude, 180) is { } lon)
        {
            using var scope = scopes.CreateScope();
            var locations = scope.ServiceProvider.GetRequiredService<LocationsApi>();
            return new(StoresBy.Location, await locations.NearbyAsync(lat, lon, nearest, cancellationToken));
        }

        if (string.IsNullOrWhiteSpace(city))
        {
            return new(StoresBy.Nothing, []);
        }

        try
        {
            return new(StoresBy.City, await InCityAsync(city, cancellationToken));
        }
        catch (ApiProblemException)
        {
            return new(StoresBy.City, []); // a name no city has (too long, say) has no store
        }
    }

    public Task<Store?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        CachedAsync(id, async locations =>
        {
            try
            {
                return await locations.StoreAsync(id, cancellationToken);
            }
            catch (ApiNotFoundException)
            {
                return (Store?)null; // closed for good, or never was
            }
        });

    /// <summary>
    /// Drops what this task keeps of a store just saved or closed: its city, the cities, the store. Other tasks see the
    /// change within a minute.
    /// </summary>
    public void Forget(Store store)
    {
        _cache.Remove(CitiesKey);
        _cache.Remove(CityKey(store.City));
        _cache.Remove(store.Id);
    }

    public void Dispose() => _cache.Dispose();

    private static (string, string) CityKey(string city) => ("city", city);

    private static double? Coordinate(string? text, double limit) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= limit ? value : null;

    private async Task<T> CachedAsync<T>(object key, Func<LocationsApi, Task<T>> read)
    {
        if (_cache.TryGetValue(key, out T? cached))
        {
            return cached!;
        }

        using var scope = scopes.CreateScope();
        var value = await read(scope.ServiceProvider.GetRequiredService<LocationsApi>());
        _cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return value;
    }

    private static async Task<IReadOnlyList<T>> EveryPageAsync<T>(Func<int, Task<PageOf<T>>> readPage)
    {
        var items = new List<T>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var batch = await readPage(page);
            items.AddRange(batch.Items);
            if (page >= batch.PageCount || batch.Items.Count == 0)
            {
                break;
            }
        }

        return items;
    }
}

public enum StoresBy
{
    Nothing,
    Location,
    City,
}

/// <summary>Stores a shopper asked for, and how they asked.</summary>
public sealed record StoreChoice(StoresBy By, IReadOnlyList<Store> Stores);
