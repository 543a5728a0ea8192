using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Inventory.Tests;

public sealed class CustomerRateLimitTests(CustomerRateLimitFixture inventory) : IClassFixture<CustomerRateLimitFixture>
{
    [Fact]
    public async Task API6_The_per_customer_rate_limit_gives_one_customer_429_with_Retry_After_and_leaves_another_unaffected()
    {
        var product = await inventory.NewProductAsync(onHand: 100);
        var (eager, other) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        for (var i = 0; i < CustomerRateLimitFixture.Limit; i++)
        {
            await inventory.ReserveAsync(product, 1, eager);
        }

        var refused = await inventory.ClientWithToken(TestTokens.Customer(eager)).PostAsJsonAsync("/api/inventory/reservations", Request(product));
        var otherCustomer = await inventory.ClientWithToken(TestTokens.Customer(other)).PostAsJsonAsync("/api/inventory/reservations", Request(product));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("CUSTOMER_WRITE_RATE_LIMIT", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, otherCustomer.StatusCode);
        Assert.Equal(CustomerRateLimitFixture.Limit + 1, (await inventory.StockAsync(product)).Reserved);
    }

    private object Request(Guid product) => new { locationId = inventory.LocationId, items = new[] { new { productId = product, quantity = 1 } } };
}
