using System.Net;

namespace Storefront.Tests;

/// <summary>Pages rendered on the server from what the APIs answer, and what a shopper sees when an API fails.</summary>
public sealed class PageTests : IDisposable
{
    private readonly StorefrontFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_home_page_lists_the_categories_and_products_of_the_catalogue()
    {
        _factory.Apis.Catalogue();

        var html = await _factory.Browser().GetStringAsync("/");

        Assert.Contains("href=\"/products?category=monitors\"", html, StringComparison.Ordinal);
        Assert.Contains("Dell UltraSharp U2724D", html, StringComparison.Ordinal);
        Assert.Contains("549.00 EUR", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_page_shows_price_pictures_and_stock_at_the_stores_of_the_city_chosen()
    {
        _factory.Apis.Catalogue();

        var html = await _factory.Browser().GetStringAsync($"/products/{Shop.ProductId}?city=Berlin");

        Assert.Contains("<h1>Dell UltraSharp U2724D</h1>", html, StringComparison.Ordinal);
        Assert.Contains("https://assets.test/u2724d.jpg", html, StringComparison.Ordinal);
        Assert.Contains("MyComputer Berlin Mitte", html, StringComparison.Ordinal);
        Assert.Contains("4 in stock", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_is_passed_to_inventory_escaped_with_the_page_asked_for()
    {
        _factory.Apis.Catalogue();

        await _factory.Browser().GetStringAsync("/products?search=dell%20%26%20more&page=2");

        Assert.Contains(_factory.Apis.Requests, request => request.PathAndQuery == "/api/inventory/products?page=2&pageSize=12&search=dell%20%26%20more");
    }

    [Fact]
    public async Task A_product_inventory_does_not_have_is_a_not_found_page()
    {
        var response = await _factory.Browser().GetAsync($"/products/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>Not found</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_that_is_no_page_is_a_not_found_page()
    {
        var response = await _factory.Browser().GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>Not found</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_answering_503_shows_the_try_again_page_with_retry_after_never_a_500()
    {
        _factory.Apis.On(HttpMethod.Get, "/api/inventory/", _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var response = await _factory.Browser().GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("Please try again shortly", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_that_cannot_be_reached_shows_the_try_again_page()
    {
        _factory.Apis.On(HttpMethod.Get, "/api/inventory/", _ => throw new HttpRequestException("Connection refused"));

        var response = await _factory.Browser().GetAsync("/products");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Please try again shortly", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_call_to_an_api_carries_the_shoppers_address_so_per_address_limits_count_the_shopper()
    {
        _factory.Apis.Catalogue();

        await _factory.Browser().GetStringAsync("/");

        Assert.All(_factory.Apis.Requests, request => Assert.Equal(StorefrontFactory.ShopperAddress.ToString(), request.ForwardedFor));
    }

    [Fact]
    public async Task Health_endpoints_answer_like_the_other_services()
    {
        var browser = _factory.Browser();

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/health/live")).StatusCode);
        var ready = await browser.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("redis", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
