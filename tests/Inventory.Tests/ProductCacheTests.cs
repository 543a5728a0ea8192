using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Inventory.Tests;

public sealed class ProductCacheTests(ReservationsFixture inventory) : IClassFixture<ReservationsFixture>
{
    [Fact]
    public async Task After_a_write_no_read_returns_the_cached_old_product()
    {
        var product = await inventory.NewProductAsync(onHand: 1, priceCents: 1_000);
        var path = $"/api/inventory/products/{product}";
        var before = await inventory.CreateClient().GetFromJsonAsync<JsonElement>(path); // cached now
        var admin = inventory.ClientWithToken(TestTokens.Admin());

        (await admin.PutAsJsonAsync(path,
            new { sku = before.GetProperty("sku").GetString(), name = "Renamed", description = "", category = "test", priceCents = 2_000, currency = "EUR" }))
            .EnsureSuccessStatusCode();
        var afterPut = await inventory.CreateClient().GetFromJsonAsync<JsonElement>(path);
        (await admin.PostAsJsonAsync($"{path}/images", new { contentType = "image/png", contentLength = 10 })).EnsureSuccessStatusCode();
        var afterImage = await inventory.CreateClient().GetFromJsonAsync<JsonElement>(path);
        (await admin.DeleteAsync(path)).EnsureSuccessStatusCode();
        var afterDelete = await inventory.CreateClient().GetAsync(path);

        Assert.Equal(1_000, before.GetProperty("priceCents").GetInt64());
        Assert.Equal(2_000, afterPut.GetProperty("priceCents").GetInt64());
        Assert.Equal(1, afterImage.GetProperty("imageUrls").GetArrayLength());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, afterDelete.StatusCode);
    }

    [Fact]
    public async Task Product_reads_count_a_miss_then_hits_and_a_write_makes_the_next_read_a_miss_again()
    {
        var product = await inventory.NewProductAsync(onHand: 1);
        var path = $"/api/inventory/products/{product}";
        using var metrics = new MetricsRecorder(inventory.Services);

        for (var read = 0; read < 3; read++)
        {
            (await inventory.CreateClient().GetAsync(path)).EnsureSuccessStatusCode();
        }

        var hitsBeforeTheWrite = metrics.Sum("cache.requests", ("cache", "product"), ("result", "hit"));
        (await inventory.ClientWithToken(TestTokens.Admin()).PostAsJsonAsync($"{path}/images", new { contentType = "image/png", contentLength = 10 }))
            .EnsureSuccessStatusCode();
        (await inventory.CreateClient().GetAsync(path)).EnsureSuccessStatusCode();

        Assert.Equal(2, hitsBeforeTheWrite);
        Assert.Equal(2, metrics.Sum("cache.requests", ("cache", "product"), ("result", "miss")));
        Assert.Equal(0, metrics.Sum("cache.requests", ("cache", "product_list")));
        Assert.All(metrics.Measurements.Where(m => m.Name == "cache.requests"), m => Assert.Equal("{request}", m.Unit));
    }
}
