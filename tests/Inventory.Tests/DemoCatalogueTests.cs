using System.Net.Http.Json;
using System.Text.Json;
using Inventory.Data;
using Platform.Hosting;
using TestSupport;

namespace Inventory.Tests;

public sealed class DemoCatalogueTests(InventoryFixture inventory) : IClassFixture<InventoryFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => inventory.Services.LoadDemoDataAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_few_dozen_products_in_four_categories_are_stocked_at_every_demo_store()
    {
        var products = DemoCatalogue.ReadProducts();
        var stores = DemoCatalogue.ReadStoreIds();

        Assert.InRange(products.Count, 24, 60);
        Assert.Equal(["accessories", "components", "laptops", "monitors"], products.Select(p => p.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(stores.Count, 25, 40);
        var laptops = await inventory.CreateClient().GetFromJsonAsync<JsonElement>("/api/inventory/products?category=laptops&pageSize=100");
        Assert.Equal(products.Count(p => p.Category == "laptops"), laptops.GetProperty("totalCount").GetInt32());
        var id = laptops.GetProperty("items")[0].GetProperty("id").GetGuid();
        var stock = await inventory.CreateClient().GetFromJsonAsync<List<JsonElement>>($"/api/inventory/products/{id}/stock");
        Assert.Equal(stores.Order(), stock!.Select(s => s.GetProperty("locationId").GetGuid()).Order());
    }

    [Fact]
    public async Task Loading_again_adds_nothing_and_keeps_what_an_admin_changed()
    {
        var product = (await inventory.CreateClient().GetFromJsonAsync<JsonElement>("/api/inventory/products?search=ThinkPad")).GetProperty("items")[0];
        var id = product.GetProperty("id").GetGuid();
        var store = DemoCatalogue.ReadStoreIds()[0];
        (await inventory.ClientWithToken(TestTokens.Admin()).PutAsJsonAsync($"/api/inventory/products/{id}/stock/{store}", new { onHand = 999 }))
            .EnsureSuccessStatusCode();

        await inventory.Services.LoadDemoDataAsync(CancellationToken.None);

        var all = await inventory.CreateClient().GetFromJsonAsync<JsonElement>("/api/inventory/products?pageSize=100");
        Assert.Equal(DemoCatalogue.ReadProducts().Count, all.GetProperty("totalCount").GetInt32());
        var stock = await inventory.CreateClient().GetFromJsonAsync<List<JsonElement>>($"/api/inventory/products/{id}/stock");
        Assert.Equal(999, stock!.Single(s => s.GetProperty("locationId").GetGuid() == store).GetProperty("onHand").GetInt32());
    }
}
