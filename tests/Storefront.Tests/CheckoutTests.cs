using System.Net;
using System.Text.Json;

namespace Storefront.Tests;

/// <summary>The cart, the reservation and the payment as the APIs see them.</summary>
public sealed class CheckoutTests : IDisposable
{
    private static readonly Guid ReservationId = Guid.Parse("01a23050-0000-7000-8000-000000000009");
    private readonly StorefrontFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static object Reservation(string status) => new
    {
        id = ReservationId, customerId = Shop.CustomerId, locationId = Shop.StoreId, status, totalCents = 109800, currency = "EUR",
        createdAt = DateTimeOffset.UtcNow, expiresAt = DateTimeOffset.UtcNow.AddMinutes(15),
        items = new[] { new { productId = Shop.ProductId, quantity = 2, unitPriceCents = 54900 } },
    };

    [Fact]
    public async Task The_cart_is_reserved_at_the_chosen_store_and_the_shopper_lands_on_the_order()
    {
        _factory.Apis.Accounts();
        _factory.Apis.Catalogue();
        _factory.Apis.OnJson(HttpMethod.Post, "/api/inventory/reservations", Reservation("pending"), HttpStatusCode.Created);
        var browser = _factory.Browser();
        await browser.SignInAsync();
        await browser.PostFormAsync($"/products/{Shop.ProductId}", "add-to-cart", ("Quantity", "2"));

        var response = await browser.PostFormAsync("/cart?city=Berlin", "reserve", ("StoreId", Shop.StoreId.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/orders/{ReservationId}", response.Headers.Location?.AbsolutePath);
        var reserve = Assert.Single(_factory.Apis.Requests, request => request.Method == "POST" && request.PathAndQuery == "/api/inventory/reservations");
        using var body = JsonDocument.Parse(reserve.Body!);
        Assert.Equal(Shop.StoreId, body.RootElement.GetProperty("locationId").GetGuid());
        Assert.Equal(2, body.RootElement.GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(Shop.AccessToken, reserve.BearerToken);
        Assert.Contains("Cart (0)", await browser.GetStringAsync("/cart"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_enough_stock_is_said_on_the_cart_page_and_the_cart_is_kept()
    {
        _factory.Apis.Accounts();
        _factory.Apis.Catalogue();
        _factory.Apis.On(HttpMethod.Post, "/api/inventory/reservations",
            _ => Shop.Json(new { title = "Not enough stock", status = 409 }, HttpStatusCode.Conflict));
        var browser = _factory.Browser();
        await browser.SignInAsync();
        await browser.PostFormAsync($"/products/{Shop.ProductId}", "add-to-cart", ("Quantity", "1"));

        var response = await browser.PostFormAsync("/cart?city=Berlin", "reserve", ("StoreId", Shop.StoreId.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("does not have enough of every item", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Cart (1)", await browser.GetStringAsync("/cart"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paying_twice_for_one_checkout_sends_the_same_idempotency_key()
    {
        var browser = await ReservedAsync();

        var first = await browser.PostFormAsync($"/orders/{ReservationId}", "pay");
        var second = await browser.PostFormAsync($"/orders/{ReservationId}", "pay");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("data-client-secret=\"pi_123_secret_456\"", html, StringComparison.Ordinal);
        Assert.Contains("data-publishable-key=\"pk_test_storefront\"", html, StringComparison.Ordinal);
        var keys = _factory.Apis.Requests
            .Where(request => request.Method == "POST" && request.PathAndQuery == "/api/payments/").Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotNull(keys[0]);
        Assert.Equal(keys[0], keys[1]);
    }

    [Theory]
    [InlineData("0")] // as nine checkouts in ten are
    [InlineData("1")]
    public async Task A_checkout_is_one_trace_from_the_reservation_to_its_payment_and_another_checkout_is_another(string sampled)
    {
        _factory.TracesSampled = sampled;
        var browser = await ReservedAsync();

        await browser.PostFormAsync($"/orders/{ReservationId}", "pay");
        await browser.PostFormAsync($"/orders/{ReservationId}", "release");
        await browser.PostFormAsync($"/products/{Shop.ProductId}", "add-to-cart", ("Quantity", "1"));
        await browser.PostFormAsync("/cart?city=Berlin", "reserve", ("StoreId", Shop.StoreId.ToString()));
        await browser.PostFormAsync($"/orders/{ReservationId}", "pay");

        var reservations = TracesOf("POST", "/api/inventory/reservations");
        Assert.Equal(2, reservations.Count);
        Assert.All(reservations, Assert.NotNull);
        Assert.NotEqual(reservations[0], reservations[1]);
        // Each payment, and the cancellation, each a request of its own, were made in the trace of their checkout.
        Assert.Equal(reservations, TracesOf("POST", "/api/payments/"));
        Assert.Equal(reservations[0], Assert.Single(TracesOf("POST", $"/api/inventory/reservations/{ReservationId}/release")));
        // The order page's reads are not part of it.
        Assert.DoesNotContain(reservations[0], TracesOf("GET", $"/api/inventory/reservations/{ReservationId}"));
    }

    /// <summary>A signed-in shopper whose cart is reserved, on an order page whose payment can be made.</summary>
    private async Task<HttpClient> ReservedAsync()
    {
        _factory.Apis.Accounts();
        _factory.Apis.Catalogue();
        _factory.Apis.OnJson(HttpMethod.Post, "/api/inventory/reservations", Reservation("pending"), HttpStatusCode.Created);
        _factory.Apis.OnJson(HttpMethod.Get, $"/api/inventory/reservations/{ReservationId}", Reservation("pending"));
        _factory.Apis.OnJson(HttpMethod.Get, "/api/payments/?reservationId=", new { items = Array.Empty<object>(), page = 1, pageSize = 20, totalCount = 0 });
        _factory.Apis.OnJson(HttpMethod.Post, "/api/payments/", new
        {
            id = Guid.NewGuid(), reservationId = ReservationId, status = "requires_payment_method", amountCents = 109800, currency = "EUR",
            createdAt = DateTimeOffset.UtcNow, clientSecret = "pi_123_secret_456",
        }, HttpStatusCode.Created);
        var browser = _factory.Browser();
        await browser.SignInAsync();
        await browser.PostFormAsync($"/products/{Shop.ProductId}", "add-to-cart", ("Quantity", "2"));
        await browser.PostFormAsync("/cart?city=Berlin", "reserve", ("StoreId", Shop.StoreId.ToString()));
        return browser;
    }

    private List<string?> TracesOf(string method, string pathAndQuery) =>
        [.. _factory.Apis.Requests.Where(request => request.Method == method && request.PathAndQuery == pathAndQuery).Select(request => request.TraceId)];

    [Fact]
    public async Task The_order_state_endpoint_answers_the_reservation_and_payment_states_for_the_owner_only()
    {
        _factory.Apis.Accounts();
        _factory.Apis.OnJson(HttpMethod.Get, $"/api/inventory/reservations/{ReservationId}", Reservation("committed"));
        _factory.Apis.OnJson(HttpMethod.Get, "/api/payments/?reservationId=", new
        {
            items = new[]
            {
                new
                {
                    id = Guid.NewGuid(), reservationId = ReservationId, status = "succeeded", amountCents = 109800, currency = "EUR",
                    createdAt = DateTimeOffset.UtcNow,
                },
            },
            page = 1, pageSize = 20, totalCount = 1,
        });
        var browser = _factory.Browser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/orders/{ReservationId}/status")).StatusCode);
        await browser.SignInAsync();

        using var state = JsonDocument.Parse(await browser.GetStringAsync($"/orders/{ReservationId}/status"));

        Assert.Equal("committed", state.RootElement.GetProperty("status").GetString());
        Assert.Equal("Confirmed", state.RootElement.GetProperty("label").GetString());
        Assert.Equal("Paid", state.RootElement.GetProperty("paymentLabel").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/orders/{Guid.NewGuid()}/status")).StatusCode);
    }
}
