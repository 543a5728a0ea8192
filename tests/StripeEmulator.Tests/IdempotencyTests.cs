using Microsoft.Extensions.DependencyInjection;
using Stripe;
using TestSupport;

namespace StripeEmulator.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task A_key_replays_for_24_hours_and_then_creates_anew()
    {
        var clock = new ManualClock();
        await using var emulator = await Emulator.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var stripe = emulator.Stripe();
        var options = new PaymentIntentCreateOptions { Amount = 2500, Currency = "eur" };
        var key = new RequestOptions { IdempotencyKey = "order-42" };

        var first = await stripe.V1.PaymentIntents.CreateAsync(options, key);
        clock.Advance(TimeSpan.FromHours(23));
        var replayed = await stripe.V1.PaymentIntents.CreateAsync(options, key);
        clock.Advance(TimeSpan.FromHours(2));
        var afterExpiry = await stripe.V1.PaymentIntents.CreateAsync(options, key);

        Assert.Equal(first.Id, replayed.Id);
        Assert.NotEqual(first.Id, afterExpiry.Id);
        Assert.Equal(2, (await stripe.V1.PaymentIntents.ListAsync()).Data.Count);
    }
}
