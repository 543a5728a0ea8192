using System.Net;
using System.Net.Http.Json;
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

        await RateLimited.AssertCustomerWriteRefusedAsync(refused);
        Assert.Equal(HttpStatusCode.Created, otherCustomer.StatusCode);
        Assert.Equal(CustomerRateLimitFixture.Limit + 1, (await inventory.StockAsync(product)).Reserved);
    }

    private object Request(Guid product) => new { locationId = inventory.LocationId, items = new[] { new { productId = product, quantity = 1 } } };
}
