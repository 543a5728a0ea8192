using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Inventory.Tests;

public sealed class ReadinessTests(InventoryFixture inventory) : IClassFixture<InventoryFixture>
{
    [Fact]
    public async Task Ready_reports_postgres_redis_the_assets_bucket_and_the_queue_up()
    {
        var response = await inventory.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("up", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        foreach (var dependency in new[] { "postgres", "redis", "s3:mycomputer-assets", "sqs:mycomputer-inventory-events" })
        {
            var check = checks.GetProperty(dependency);
            Assert.Equal("up", check.GetProperty("status").GetString());
            Assert.True(check.GetProperty("latencyMs").GetDouble() >= 0);
        }
    }

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
