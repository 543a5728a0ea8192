namespace Storefront.Clients;

/// <summary>
/// Every store, read from locations at most once a minute per task: the city picker and the store names on product
/// and order pages need them all, and a chain's stores change rarely.
/// </summary>
public sealed class StoreDirectory(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (IReadOnlyList<Store> Stores, DateTimeOffset LoadedAt)? _cached;

    public async Task<IReadOnlyList<Store>> AllAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && time.GetUtcNow() - cached.LoadedAt < Lifetime)
        {
            return cached.Stores;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } loaded && time.GetUtcNow() - loaded.LoadedAt < Lifetime)
            {
                return loaded.Stores;
            }

            using var scope = scopes.CreateScope();
            var locations = scope.ServiceProvider.GetRequiredService<LocationsApi>();
            var stores = new List<Store>();
            for (var page = 1; ; page++)
            {
                var batch = await locations.StoresAsync(city: null, page, cancellationToken);
                stores.AddRange(batch.Items);
                if (page >= batch.PageCount || batch.Items.Count == 0)
                {
                    break;
                }
            }

            var sorted = stores.OrderBy(store => store.City, StringComparer.Ordinal).ThenBy(store => store.Name, StringComparer.Ordinal).ToList();
            _cached = (sorted, time.GetUtcNow());
            return sorted;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    public async Task<IReadOnlyList<string>> CitiesAsync(CancellationToken cancellationToken) =>
        [.. (await AllAsync(cancellationToken)).Select(store => store.City).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public async Task<Store?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).FirstOrDefault(store => store.Id == id);
}
