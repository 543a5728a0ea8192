using Inventory.Apis;
using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Platform.Hosting;

namespace Inventory.Data;

/// <summary>
/// The demo catalogue of the local stack (<c>demo/products.json</c>), stocked at every demo store (<c>demo/stores.json</c>,
/// the ids the locations service loads). Products are checked by the same rules as the API's; only missing products
/// and stock levels are added, so an admin's changes survive a reload.
/// </summary>
public sealed class DemoCatalogue(InventoryDb db) : IDemoData
{
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var products = ReadProducts();
        var skus = products.Select(p => p.Sku).ToList();
        var existing = await db.Products.Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => p.Id, cancellationToken);
        db.Products.AddRange(products.Where(p => !existing.ContainsKey(p.Sku)));
        await db.SaveChangesAsync(cancellationToken);

        var ids = await db.Products.Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => p.Id, cancellationToken);
        var stocked = (await db.Stock.Where(s => ids.Values.Contains(s.ProductId))
                .Select(s => new { s.ProductId, s.LocationId }).ToListAsync(cancellationToken))
            .Select(s => (s.ProductId, s.LocationId)).ToHashSet();
        var stores = ReadStoreIds();
        for (var p = 0; p < skus.Count; p++)
        {
            for (var s = 0; s < stores.Count; s++)
            {
                if (!stocked.Contains((ids[skus[p]], stores[s])))
                {
                    // Varied but repeatable quantities, some of them zero: a store that is out of something.
                    db.Stock.Add(new StockLevel { ProductId = ids[skus[p]], LocationId = stores[s], OnHand = (p * 7 + s * 13 + 5) % 23 });
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public static List<Product> ReadProducts() =>
        [.. DemoFiles.Read<ProductFile>(typeof(DemoCatalogue).Assembly, "demo-products.json").Products.Select(request =>
        {
            if (ProductRules.Errors(request.Sku, request.Name, request.Description, request.Category, request.PriceCents, request.Currency) is { } errors)
            {
                throw DemoFiles.Invalid($"product {request.Sku}", errors);
            }

            return request.ToProduct();
        })];

    public static List<Guid> ReadStoreIds() => [.. DemoFiles.Read<StoreFile>(typeof(DemoCatalogue).Assembly, "demo-stores.json").Stores.Select(s => s.Id)];

    private sealed record ProductFile(List<ProductRequest> Products);

    private sealed record StoreFile(List<StoreId> Stores);

    private sealed record StoreId(Guid Id);
}
