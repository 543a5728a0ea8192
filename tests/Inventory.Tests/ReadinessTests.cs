using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Inventory.Tests;

public sealed class ReadinessTests(InventoryFixture inventory) : IClassFixture<InventoryFixture>
{
    [Fact]
    public Task Ready_reports_postgres_redis_the_assets_bucket_and_both_queues_up() =>
        Readiness.AssertUpAsync(inventory.CreateClient(), "postgres", "redis", "s3:mycomputer-assets",
            $"sqs:{TestEnvironment.Require("INVENTORY_QUEUE")}", $"sqs:{TestEnvironment.Require("PAYMENTS_QUEUE")}");

    [Fact]
    public async Task Health_live_and_openapi_are_served_at_the_root()
    {
        var client = inventory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/inventory/products", out _));
    }
}
