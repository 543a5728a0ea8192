using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Payments.Tests;

public sealed class CreatePaymentTests(CheckoutStack stack) : IClassFixture<CheckoutStack>
{
    private readonly Checkout _checkout = new(stack);

    [Fact]
    public async Task A_payment_is_a_paymentintent_for_the_reservations_total_with_its_id_in_the_metadata()
    {
        var customer = Guid.CreateVersion7();
        var laptop = await _checkout.NewProductAsync(129_900, onHand: 5);
        var mouse = await _checkout.NewProductAsync(4_990, onHand: 5);
        var reservation = await _checkout.ReserveAsync(customer, (laptop, 1), (mouse, 2));

        var response = await _checkout.PayAsync(customer, reservation, "first-try");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payment = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(129_900 + 2 * 4_990, payment.GetProperty("amountCents").GetInt64());
        Assert.Equal("EUR", payment.GetProperty("currency").GetString());
        Assert.Equal("requires_payment_method", payment.GetProperty("status").GetString());
        Assert.Contains("_secret_", payment.GetProperty("clientSecret").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/api/payments/{payment.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        var intent = Assert.Single(await _checkout.IntentsForAsync(reservation));
        Assert.Equal(129_900 + 2 * 4_990, intent.Amount);
        Assert.Equal("eur", intent.Currency);
        Assert.Equal(customer.ToString(), intent.Metadata["customer_id"]);
    }

    [Fact]
    public async Task The_same_key_and_body_replays_the_payment_and_another_body_is_422()
    {
        var customer = Guid.CreateVersion7();
        var product = await _checkout.NewProductAsync(10_000, onHand: 5);
        var reservation = await _checkout.ReserveAsync(customer, (product, 1));
        var other = await _checkout.ReserveAsync(customer, (product, 1));

        var first = await _checkout.PayAsync(customer, reservation, "key-1");
        var replay = await _checkout.PayAsync(customer, reservation, "key-1");
        var differentBody = await _checkout.PayAsync(customer, other, "key-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        var (a, b) = (await first.Content.ReadFromJsonAsync<JsonElement>(), await replay.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());
        Assert.Equal(a.GetProperty("clientSecret").GetString(), b.GetProperty("clientSecret").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, differentBody.StatusCode);
        Assert.Single(await _checkout.IntentsForAsync(reservation));
        Assert.Empty(await _checkout.IntentsForAsync(other));
    }

    [Fact]
    public async Task Keys_are_per_customer()
    {
        var (alice, bob) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var product = await _checkout.NewProductAsync(10_000, onHand: 5);
        var alices = await _checkout.ReserveAsync(alice, (product, 1));
        var bobs = await _checkout.ReserveAsync(bob, (product, 1));

        var byAlice = await _checkout.PayAsync(alice, alices, "shared-key");
        var byBob = await _checkout.PayAsync(bob, bobs, "shared-key");

        Assert.Equal(HttpStatusCode.Created, byAlice.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byBob.StatusCode);
    }

    [Fact]
    public async Task Twenty_identical_requests_racing_make_one_paymentintent_and_get_the_same_answer()
    {
        var customer = Guid.CreateVersion7();
        var product = await _checkout.NewProductAsync(10_000, onHand: 5);
        var reservation = await _checkout.ReserveAsync(customer, (product, 1));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _checkout.PayAsync(customer, reservation, "racing-key")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Single(await _checkout.IntentsForAsync(reservation));
    }

    [Fact]
    public async Task A_second_key_for_a_reservation_being_paid_is_409_and_makes_no_second_paymentintent()
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));
        await _checkout.PaidAsync(customer, reservation);

        var second = await _checkout.PayAsync(customer, reservation, "another-key");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Single(await _checkout.IntentsForAsync(reservation));
    }

    [Fact]
    public async Task Two_keys_racing_for_one_reservation_make_one_payment_and_one_409()
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _checkout.PayAsync(customer, reservation, $"key-{i}")));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Single(await _checkout.IntentsForAsync(reservation));
    }

    [Fact]
    public async Task Another_customers_reservation_and_an_unknown_one_are_404()
    {
        var owner = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(owner, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));

        var byStranger = await _checkout.PayAsync(Guid.CreateVersion7(), reservation, "k");
        var unknown = await _checkout.PayAsync(owner, Guid.CreateVersion7(), "k2");

        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await _checkout.IntentsForAsync(reservation));
    }

    [Fact]
    public async Task A_released_reservation_cannot_be_paid()
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));
        (await stack.Inventory.ClientWithToken(TestTokens.Customer(customer)).PostAsync($"/api/inventory/reservations/{reservation}/release", null))
            .EnsureSuccessStatusCode();

        var response = await _checkout.PayAsync(customer, reservation, "late");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "Idempotency-Key")]
    [InlineData("", "Idempotency-Key")]
    public async Task A_missing_idempotency_key_is_400(string? key, string field)
    {
        var customer = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(customer, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));

        var response = await _checkout.PayAsync(customer, reservation, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(await _checkout.IntentsForAsync(reservation));
    }

    [Fact]
    public async Task Paying_needs_a_token_and_a_payment_is_visible_only_to_its_owner_and_an_admin()
    {
        var owner = Guid.CreateVersion7();
        var reservation = await _checkout.ReserveAsync(owner, (await _checkout.NewProductAsync(10_000, onHand: 5), 1));
        var payment = (await _checkout.PaidAsync(owner, reservation)).GetProperty("id").GetGuid();

        var anonymous = await stack.Payments.CreateClient().PostAsJsonAsync("/api/payments/", new { reservationId = reservation });
        var byOwner = await stack.Payments.ClientWithToken(TestTokens.Customer(owner)).GetAsync($"/api/payments/{payment}");
        var byStranger = await stack.Payments.ClientWithToken(TestTokens.Customer()).GetAsync($"/api/payments/{payment}");
        var byAdmin = await stack.Payments.ClientWithToken(TestTokens.Admin()).GetAsync($"/api/payments/{payment}");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
    }
}
