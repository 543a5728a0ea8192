using System.Net.Http.Json;
using Inventory.Data;
using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TestSupport;

namespace Inventory.Tests;

/// <summary>
/// Inventory on a clock the test moves, with the background sweeper idle after its first pass, so a test decides
/// when expired reservations are swept.
/// </summary>
public class ReservationsFixture : InventoryFixture
{
    public ManualClock Clock { get; } = new();

    public Guid LocationId { get; } = Guid.CreateVersion7();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RESERVATION_TTL"] = "900",
        ["RESERVATION_SWEEP_SECONDS"] = "3600",
    };

    /// <summary>A new product priced <paramref name="priceCents"/> EUR with <paramref name="onHand"/> at <see cref="LocationId"/>.</summary>
    public async Task<Guid> NewProductAsync(int onHand, long priceCents = 10_000)
    {
        var product = new Product
        {
            Sku = $"SKU-{Guid.NewGuid():N}"[..20].ToUpperInvariant(), Name = "Test product", Category = "test", PriceCents = priceCents, Currency = "EUR",
        };
        await SeedAsync<InventoryDb>(db =>
        {
            db.Products.Add(product);
            db.Stock.Add(new StockLevel { ProductId = product.Id, LocationId = LocationId, OnHand = onHand });
        });
        return product.Id;
    }

    /// <summary>Reserves <paramref name="quantity"/> of a product at <see cref="LocationId"/>; returns the reservation's path.</summary>
    public async Task<string> ReserveAsync(Guid productId, int quantity, Guid? customerId = null)
    {
        var response = await ClientWithToken(TestTokens.Customer(customerId)).PostAsJsonAsync("/api/inventory/reservations",
            new { locationId = LocationId, items = new[] { new { productId, quantity } } });
        response.EnsureSuccessStatusCode();
        return response.Headers.Location!.OriginalString;
    }

    public async Task<StockLevel> StockAsync(Guid productId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InventoryDb>();
        return await db.Stock.AsNoTracking().SingleAsync(s => s.ProductId == productId && s.LocationId == LocationId);
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
    }
}
