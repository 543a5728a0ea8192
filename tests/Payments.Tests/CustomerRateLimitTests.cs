using System.Net;
using TestSupport;

namespace Payments.Tests;

/// <summary>Payments whose per-customer rate limit lets each customer ask for 2 payments an hour.</summary>
public sealed class RateLimitedStack : CheckoutStack
{
    public const int Limit = 2;

    protected override IReadOnlyDictionary<string, string> PaymentsSettings => new Dictionary<string, string>
    {
        ["CUSTOMER_WRITE_RATE_LIMIT"] = $"{Limit}",
        ["CUSTOMER_WRITE_RATE_WINDOW_SECONDS"] = "3600",
    };
}

public sealed class CustomerRateLimitTests(RateLimitedStack stack) : IClassFixture<RateLimitedStack>
{
    private readonly Checkout _checkout = new(stack);

    [Fact]
    public async Task API6_The_per_customer_rate_limit_gives_one_customer_429_with_Retry_After_before_Stripe_and_leaves_another_unaffected()
    {
        var (eager, other) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var product = await _checkout.NewProductAsync(10_000, onHand: 10);
        for (var i = 0; i < RateLimitedStack.Limit; i++)
        {
            await _checkout.PaidAsync(eager, await _checkout.ReserveAsync(eager, (product, 1)));
        }

        var beyond = await _checkout.ReserveAsync(eager, (product, 1));
        var refused = await _checkout.PayAsync(eager, beyond, "one-too-many");
        var otherCustomer = await _checkout.PayAsync(other, await _checkout.ReserveAsync(other, (product, 1)), "first");

        await RateLimited.AssertCustomerWriteRefusedAsync(refused);
        Assert.Empty(await _checkout.IntentsForAsync(beyond));
        Assert.Equal(HttpStatusCode.Created, otherCustomer.StatusCode);
    }
}
