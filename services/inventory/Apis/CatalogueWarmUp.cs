using Inventory.Data;
using Microsoft.EntityFrameworkCore;
using Platform.Hosting;

namespace Inventory.Apis;

/// <summary>What a new task runs before it is ready: the catalogue's first page, and products read as customers read them.</summary>
public sealed class CatalogueWarmUp(InventoryDb db) : IWarmUpPaths
{
    private const int Products = 20;

    public async Task<IReadOnlyList<string>> PathsAsync(CancellationToken cancellationToken)
    {
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).Take(Products).ToListAsync(cancellationToken);
        return ["/api/inventory/products/?page=1", .. products.Select(id => $"/api/inventory/products/{id}")];
    }
}
