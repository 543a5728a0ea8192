using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;
using TestSupport;

namespace Payments.Tests;

/// <summary>Payments whose inventory does not answer: nothing listens on port 1.</summary>
public sealed class InventoryDownFixture : PaymentsFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["INVENTORY_URL"] = "http://127.0.0.1:1/" };
}

public sealed class InventoryDownTests(InventoryDownFixture payments) : IClassFixture<InventoryDownFixture>
{
    [Fact]
    public async Task With_inventory_unreachable_a_payment_is_503_with_retry_after_and_nothing_is_created()
    {
        var customer = Guid.CreateVersion7();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/") { Content = JsonContent.Create(new { reservationId = Guid.CreateVersion7() }) };
        request.Headers.Add("Idempotency-Key", "down");

        var response = await payments.ClientWithToken(TestTokens.Customer(customer)).SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        await using var scope = payments.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        Assert.False(db.Payments.Any(p => p.CustomerId == customer));
        Assert.False(db.IdempotencyKeys.Any(k => k.CustomerId == customer));
    }
}
