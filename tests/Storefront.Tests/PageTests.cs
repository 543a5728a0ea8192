using System.Globalization;
using System.Net;
using System.Web;

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
    public async Task A_chain_of_100_000_stores_in_500_cities_is_read_a_city_at_a_time_never_whole()
    {
        const int Stores = 100_000, Cities = 500;
        // Routes are matched in the order they were set: these answer before the catalogue's one-store chain.
        _factory.Apis.On(HttpMethod.Get, "/api/locations/cities?", request =>
        {
            var page = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"]!, CultureInfo.InvariantCulture);
            var first = (page - 1) * 100;
            var names = Enumerable.Range(first, Math.Clamp(Cities - first, 0, 100)).Select(i => $"City {i:000}");
            var items = (page == 1 ? ["Berlin"] : Array.Empty<string>()).Concat(names).Select(name => new { name, stores = 200 });
            return Shop.Json(new { items, page, pageSize = 100, totalCount = Cities });
        });
        _factory.Apis.OnJson(HttpMethod.Get, "/api/locations/?page=1&pageSize=100&city=Berlin",
            new { items = new[] { Shop.Store }, page = 1, pageSize = 100, totalCount = 1 });
        _factory.Apis.OnJson(HttpMethod.Get, "/api/locations/?", new { items = new[] { Shop.Store }, page = 1, pageSize = 100, totalCount = Stores });
        _factory.Apis.Accounts();
        _factory.Apis.Catalogue();
        var browser = _factory.Browser();
        await browser.PostFormAsync($"/products/{Shop.ProductId}", "add-to-cart", ("Quantity", "1"));

        var finder = await browser.GetStringAsync("/stores");
        var city = await browser.GetStringAsync("/stores?city=Berlin");
        var product = await browser.GetStringAsync($"/products/{Shop.ProductId}?city=Berlin");
        var cart = await browser.GetStringAsync("/cart?city=Berlin");

        Assert.Contains("<option value=\"City 499\">", finder, StringComparison.Ordinal); // every city, on every page with a picker
        Assert.Contains("href=\"/stores?city=City%20042\"", finder, StringComparison.Ordinal);
        Assert.Contains("MyComputer Berlin Mitte", city, StringComparison.Ordinal);
        Assert.Contains("4 in stock", product, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{Shop.StoreId}\"", cart, StringComparison.Ordinal);
        var locations = _factory.Apis.Requests.Where(request => request.PathAndQuery.StartsWith("/api/locations/", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(locations, request =>
            request.PathAndQuery.StartsWith("/api/locations/?", StringComparison.Ordinal) && !request.PathAndQuery.Contains("city=", StringComparison.Ordinal));
        // The cities once (five pages of 100) and Berlin's stores once: the directory keeps them for a minute.
        Assert.Equal(6, locations.Count);
    }

    [Theory]
    [InlineData("/stores?city=", "No store in")]
    [InlineData("/cart?city=", "to pick the store")]
    [InlineData("/products/{product}?city=", "Choose your city")]
    public async Task A_city_locations_refuses_has_no_store_rather_than_failing_the_page(string page, string shown)
    {
        var city = new string('x', 300);
        _factory.Apis.On(HttpMethod.Get, $"/api/locations/?page=1&pageSize=100&city={city}",
            _ => Shop.Json(new { title = "One or more validation errors occurred.", status = 400 }, HttpStatusCode.BadRequest));
        _factory.Apis.Catalogue();
        var browser = _factory.Browser();
        await browser.PostFormAsync($"/products/{Shop.ProductId}", "add-to-cart", ("Quantity", "1"));

        var response = await browser.GetAsync(page.Replace("{product}", Shop.ProductId.ToString(), StringComparison.Ordinal) + city);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(shown, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/stores?lat=north&lon=west")]
    [InlineData("/cart?lat=1e999&lon=2")]
    public async Task A_position_that_is_not_a_number_is_no_position(string page)
    {
        _factory.Apis.Catalogue();

        var response = await _factory.Browser().GetAsync(page);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(_factory.Apis.Requests, request => request.PathAndQuery.Contains("/nearby", StringComparison.Ordinal));
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

    [Theory]
    [InlineData("/stores")]
    [InlineData("/stores?city=Berlin")]
    public async Task Locations_unavailable_shows_the_store_finder_as_try_again_with_retry_after(string page)
    {
        _factory.Apis.On(HttpMethod.Get, "/api/locations/", _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var response = await _factory.Browser().GetAsync(page);

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
