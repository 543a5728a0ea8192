using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Payments.Tests;

/// <summary>Stripe forgets an idempotency key after 24 hours and ours live 7 days: a replay past Stripe's day must create nothing.</summary>
public sealed class StripeKeyExpiryTests(PhasesStack stack) : IClassFixture<PhasesStack>, IDisposable
{
    private const string PaymentIntents = "POST /v1/payment_intents";
    private static readonly TimeSpan PastStripesDay = TimeSpan.FromHours(25);
    private readonly Checkout _checkout = new(stack);

    public void Dispose() => stack.PaymentsClock.Shift = TimeSpan.Zero;

    [Fact]
    public async Task A_replay_a_day_later_answers_the_same_payment_and_secret_and_creates_nothing()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        var first = await _checkout.PaidAsync(customer, reservation, "day-one");

        stack.PaymentsClock.Shift = PastStripesDay;
        var replay = await _checkout.PayAsync(customer, reservation, "day-one");

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        var again = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("clientSecret").GetString(), again.GetProperty("clientSecret").GetString());
        Assert.Single(await _checkout.IntentsForAsync(reservation));
    }

    [Fact]
    public async Task A_claim_that_never_reached_stripe_is_not_created_a_day_later_but_abandoned()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.FailBeforeStripe(PaymentIntents);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _checkout.PayAsync(customer, reservation, "never-made")).StatusCode);

        stack.PaymentsClock.Shift = PastStripesDay;
        var retry = await _checkout.PayAsync(customer, reservation, "never-made");

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Empty(await _checkout.IntentsForAsync(reservation));
        Assert.Equal("canceled", (await PaymentRowAsync(reservation)).Status);
    }

    [Fact]
    public async Task A_claim_whose_intent_stripe_made_is_found_a_day_later_not_made_again()
    {
        var (customer, reservation) = await _checkout.NewReservationAsync();
        stack.StripeFaults.LoseAnswer(PaymentIntents);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _checkout.PayAsync(customer, reservation, "made")).StatusCode);
        var made = Assert.Single(await _checkout.IntentsForAsync(reservation));

        stack.PaymentsClock.Shift = PastStripesDay;
        var retry = await _checkout.PayAsync(customer, reservation, "made");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(made.Id, Assert.Single(await _checkout.IntentsForAsync(reservation)).Id);
        Assert.Equal(made.Id, (await PaymentRowAsync(reservation)).StripePaymentIntentId);
    }

    private async Task<Domain.Payment> PaymentRowAsync(Guid reservation) => Assert.Single(await _checkout.PaymentRowsAsync(reservation));
}
