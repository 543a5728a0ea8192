using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Storefront.Tests;

/// <summary>The admin pages: only an admin reaches them, and each form sends inventory or locations what was typed.</summary>
public sealed class AdminTests : IDisposable
{
    private static readonly Guid CreatedId = Guid.Parse("01a2303a-c58d-75d7-82fc-807ddccc1e6e");
    private readonly StorefrontFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_customer_finds_no_admin_page_and_an_anonymous_visitor_is_asked_to_sign_in()
    {
        _factory.Apis.Accounts();
        _factory.Apis.Catalogue();
        var anonymous = await _factory.Browser().GetAsync("/admin/products");
        var customer = _factory.Browser();
        await customer.SignInAsync();

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/signin", anonymous.Headers.Location?.OriginalString, StringComparison.Ordinal);
        string[] pages = ["/admin", "/admin/products/new", $"/admin/products/{Shop.ProductId}", "/admin/stores", $"/admin/stores/{Shop.StoreId}"];
        foreach (var page in pages)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync(page)).StatusCode);
        }

        Assert.DoesNotContain("href=\"/admin\"", await customer.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.DoesNotContain(_factory.Apis.Requests, request =>
            request.Method != "GET" && !request.PathAndQuery.StartsWith("/api/customers/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_adds_a_product_with_its_price_in_cents_and_lands_on_its_page()
    {
        var browser = await AdminAsync();
        _factory.Apis.OnJson(HttpMethod.Post, "/api/inventory/products", new
        {
            id = CreatedId, sku = "KB-NEW-1", name = "New keyboard", description = "", category = "keyboards", priceCents = 4999, currency = "EUR",
            imageUrls = Array.Empty<string>(),
        }, HttpStatusCode.Created);

        var response = await PostNewKeyboardAsync(browser, "KB-NEW-1", currency: "eur");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/products/{CreatedId}?done=saved", response.Headers.Location?.PathAndQuery);
        var sent = Assert.Single(_factory.Apis.Requests, request => request is { Method: "POST", PathAndQuery: "/api/inventory/products" });
        Assert.Equal(Shop.AccessToken, sent.BearerToken);
        using var body = JsonDocument.Parse(sent.Body!);
        Assert.Equal(4999, body.RootElement.GetProperty("priceCents").GetInt64());
        Assert.Equal("EUR", body.RootElement.GetProperty("currency").GetString());
        Assert.Equal("KB-NEW-1", body.RootElement.GetProperty("sku").GetString());
    }

    [Fact]
    public async Task A_refusal_by_inventory_is_shown_on_the_form_and_nothing_else_changes()
    {
        var browser = await AdminAsync();
        _factory.Apis.On(HttpMethod.Post, "/api/inventory/products",
            _ => Shop.Json(new { title = "Duplicate SKU", status = 409, detail = "A product with SKU KB-NEW-1 exists." }, HttpStatusCode.Conflict));

        var response = await PostNewKeyboardAsync(browser, "KB-NEW-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A product with SKU KB-NEW-1 exists.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_inventory_refuses_is_named_on_the_form()
    {
        var browser = await AdminAsync();
        _factory.Apis.On(HttpMethod.Post, "/api/inventory/products", _ => Shop.Json(new
        {
            title = "One or more validation errors occurred.", status = 400,
            errors = new Dictionary<string, string[]> { ["sku"] = ["sku is 2 to 64 capital letters, digits and dashes."] },
        }, HttpStatusCode.BadRequest));

        var response = await PostNewKeyboardAsync(browser, "kb new");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("sku is 2 to 64 capital letters, digits and dashes.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_sets_the_stock_of_a_product_at_a_store_of_the_city_chosen()
    {
        var browser = await AdminAsync();
        _factory.Apis.OnJson(HttpMethod.Put, $"/api/inventory/products/{Shop.ProductId}/stock/{Shop.StoreId}",
            new { locationId = Shop.StoreId, onHand = 12, reserved = 1, available = 11 });
        var page = $"/admin/products/{Shop.ProductId}?city=Berlin";
        Assert.Contains("<td>MyComputer Berlin Mitte</td><td>5</td><td>1</td><td>4</td>", await browser.GetStringAsync(page), StringComparison.Ordinal);

        var response = await browser.PostFormAsync(page, "stock", ("StockStoreId", Shop.StoreId.ToString()), ("OnHand", "12"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var sent = Assert.Single(_factory.Apis.Requests, request => request.Method == "PUT");
        Assert.Equal(12, JsonDocument.Parse(sent.Body!).RootElement.GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task A_picture_is_put_at_the_upload_url_inventory_gives_with_its_type_and_length()
    {
        var browser = await AdminAsync();
        var uploadUrl = new Uri("https://assets.test/products/new.png?X-Amz-Signature=abc");
        _factory.Apis.OnJson(HttpMethod.Post, $"/api/inventory/products/{Shop.ProductId}/images",
            new { key = "products/new.png", uploadUrl, expiresAt = DateTimeOffset.UtcNow.AddMinutes(15) }, HttpStatusCode.Created);
        _factory.Apis.On(HttpMethod.Put, "/products/new.png", _ => new HttpResponseMessage(HttpStatusCode.OK));
        var page = $"/admin/products/{Shop.ProductId}";
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

        var response = await PostPictureAsync(browser, png);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{page}?done=uploaded", response.Headers.Location?.OriginalString);
        var asked = Assert.Single(_factory.Apis.Requests, request =>
            request is { Method: "POST" } && request.PathAndQuery.EndsWith("/images", StringComparison.Ordinal));
        using var body = JsonDocument.Parse(asked.Body!);
        Assert.Equal("image/png", body.RootElement.GetProperty("contentType").GetString());
        Assert.Equal(png.Length, body.RootElement.GetProperty("contentLength").GetInt64());
        var put = Assert.Single(_factory.Apis.Requests, request => request.Method == "PUT");
        Assert.Equal(uploadUrl.PathAndQuery, put.PathAndQuery);
        Assert.Null(put.BearerToken); // the signature in the URL is the only credential S3 gets
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, HttpStatusCode.Redirect)]
    [InlineData(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable)]
    public async Task A_picture_s3_does_not_take_gives_its_place_back_at_inventory(HttpStatusCode s3, HttpStatusCode page)
    {
        var browser = await AdminAsync();
        _factory.Apis.OnJson(HttpMethod.Post, $"/api/inventory/products/{Shop.ProductId}/images", new
        {
            key = $"products/{Shop.ProductId}/new.png", uploadUrl = new Uri("https://assets.test/products/new.png?X-Amz-Signature=abc"),
            expiresAt = DateTimeOffset.UtcNow.AddMinutes(15),
        }, HttpStatusCode.Created);
        _factory.Apis.On(HttpMethod.Put, "/products/new.png", _ => new HttpResponseMessage(s3));
        _factory.Apis.On(HttpMethod.Delete, $"/api/inventory/products/{Shop.ProductId}/images/new.png", _ => new HttpResponseMessage(HttpStatusCode.NoContent));
        var path = $"/admin/products/{Shop.ProductId}";

        var response = await PostPictureAsync(browser, [0x89, 0x50, 0x4E, 0x47]);

        Assert.Equal(page, response.StatusCode);
        if (page == HttpStatusCode.Redirect)
        {
            Assert.Equal($"{path}?done=refused", response.Headers.Location?.OriginalString);
        }

        var given = Assert.Single(_factory.Apis.Requests, request => request.Method == "DELETE");
        Assert.Equal($"/api/inventory/products/{Shop.ProductId}/images/new.png", given.PathAndQuery);
        Assert.Equal(Shop.AccessToken, given.BearerToken);
    }

    [Fact]
    public async Task An_admin_removes_a_picture_the_product_shows_and_no_other()
    {
        var browser = await AdminAsync();
        _factory.Apis.On(HttpMethod.Delete, $"/api/inventory/products/{Shop.ProductId}/images/", _ => new HttpResponseMessage(HttpStatusCode.NoContent));
        var page = $"/admin/products/{Shop.ProductId}";

        var other = await browser.PostFormAsync(page, "remove-picture", ("PictureUrl", "https://assets.test/someone-elses.jpg"));
        var removed = await browser.PostFormAsync(page, "remove-picture", ("PictureUrl", "https://assets.test/u2724d.jpg"));

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal($"{page}?done=removed", removed.Headers.Location?.PathAndQuery);
        var sent = Assert.Single(_factory.Apis.Requests, request => request.Method == "DELETE");
        Assert.Equal($"/api/inventory/products/{Shop.ProductId}/images/u2724d.jpg", sent.PathAndQuery);
    }

    [Fact]
    public async Task A_picture_posted_without_the_forms_token_is_refused_and_nothing_is_uploaded()
    {
        var browser = await AdminAsync();

        var response = await PostPictureAsync(browser, [1, 2, 3], withFormsToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(_factory.Apis.Requests, request =>
            request.PathAndQuery.EndsWith("/images", StringComparison.Ordinal) || request.Method == "PUT");
    }

    [Fact]
    public async Task A_store_is_opened_with_its_opening_hours_one_interval_a_line()
    {
        var browser = await AdminAsync();
        _factory.Apis.OnJson(HttpMethod.Post, "/api/locations/", Shop.Store, HttpStatusCode.Created);

        var response = await browser.PostFormAsync("/admin/stores/new", "store",
            ("Details.Name", "MyComputer Berlin Mitte"), ("Details.Address", "Friedrichstraße 1"), ("Details.City", "Berlin"),
            ("Details.Country", "de"), ("Details.Latitude", "52.52"), ("Details.Longitude", "13.39"), ("Details.TimeZone", "Europe/Berlin"),
            ("Details.OpeningHours", "Monday 09:00-18:00\r\nsaturday 10:00-14:00\r\n"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/stores/{Shop.StoreId}?done=saved", response.Headers.Location?.PathAndQuery);
        var sent = Assert.Single(_factory.Apis.Requests, request => request is { Method: "POST", PathAndQuery: "/api/locations/" });
        using var body = JsonDocument.Parse(sent.Body!);
        Assert.Equal("DE", body.RootElement.GetProperty("country").GetString());
        Assert.Equal(
            ["monday 09:00-18:00", "saturday 10:00-14:00"],
            body.RootElement.GetProperty("openingHours").EnumerateArray()
                .Select(i => $"{i.GetProperty("day")} {i.GetProperty("opens")}-{i.GetProperty("closes")}"));
    }

    [Theory]
    [InlineData("every day 9 to 5")]
    [InlineData("monday,tuesday 09:00-18:00")]
    [InlineData("1 09:00-18:00")]
    [InlineData("monday 09:00")]
    public async Task An_opening_hours_line_that_is_not_a_day_and_two_times_is_named_and_nothing_is_sent(string line)
    {
        var browser = await AdminAsync();

        var response = await browser.PostFormAsync("/admin/stores/new", "store",
            ("Details.Name", "MyComputer Berlin Mitte"), ("Details.Address", "Friedrichstraße 1"), ("Details.City", "Berlin"),
            ("Details.Country", "DE"), ("Details.Latitude", "52.52"), ("Details.Longitude", "13.39"), ("Details.TimeZone", "Europe/Berlin"),
            ("Details.OpeningHours", "monday 09:00-18:00\n" + line));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Opening hours, line 2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_factory.Apis.Requests, request =>
            request.Method == "POST" && request.PathAndQuery.StartsWith("/api/locations/", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> PostNewKeyboardAsync(HttpClient browser, string sku, string currency = "EUR") =>
        browser.PostFormAsync("/admin/products/new", "product",
            ("Details.Sku", sku), ("Details.Name", "New keyboard"), ("Details.Description", ""), ("Details.Category", "keyboards"),
            ("Details.Price", "49.99"), ("Details.Currency", currency));

    /// <summary>A PNG posted to the product's picture route as the admin page's form does (its token taken from the page).</summary>
    private static async Task<HttpResponseMessage> PostPictureAsync(HttpClient browser, byte[] png, bool withFormsToken = true)
    {
        var page = $"/admin/products/{Shop.ProductId}";
        using var image = new ByteArrayContent(png);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var form = new MultipartFormDataContent { { image, "image", "new.png" } };
        if (withFormsToken)
        {
            form.Add(new StringContent(await browser.AntiforgeryTokenAsync(page)), "__RequestVerificationToken");
        }

        return await browser.PostAsync($"{page}/images", form);
    }

    private async Task<HttpClient> AdminAsync()
    {
        _factory.Apis.Accounts(role: "admin");
        _factory.Apis.Catalogue();
        var browser = _factory.Browser();
        await browser.SignInAsync();
        Assert.Contains("href=\"/admin\"", await browser.GetStringAsync("/"), StringComparison.Ordinal);
        return browser;
    }
}
