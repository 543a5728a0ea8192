using System.Net;

namespace Storefront.Tests;

/// <summary>The shopper's session: a cookie the browser's scripts cannot read, tokens kept on the server, forms that need their token.</summary>
public sealed class SessionTests : IDisposable
{
    private readonly StorefrontFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Signing_in_sets_an_httponly_secure_samesite_session_cookie_that_is_not_a_token()
    {
        _factory.Apis.Accounts();
        var browser = _factory.Browser();
        var token = await browser.AntiforgeryTokenAsync("/account/signin");

        var response = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token,
            ["Form.Email"] = "ada@example.com", ["Form.Password"] = "a long enough password",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), value => value.StartsWith("__Host-shop=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Shop.AccessToken, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Shop.RefreshToken, cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tokens_never_appear_in_a_page_the_browser_gets()
    {
        _factory.Apis.Accounts();
        _factory.Apis.Catalogue();
        _factory.Apis.OnJson(HttpMethod.Get, "/api/inventory/personal-data", new { reservations = Array.Empty<object>() });
        var browser = _factory.Browser();
        await browser.SignInAsync();

        foreach (var path in new[] { "/", "/account", "/account/orders", "/cart", $"/products/{Shop.ProductId}" })
        {
            var html = await browser.GetStringAsync(path);
            Assert.DoesNotContain(Shop.AccessToken, html, StringComparison.Ordinal);
            Assert.DoesNotContain(Shop.RefreshToken, html, StringComparison.Ordinal);
        }

        Assert.Contains(_factory.Apis.Requests, request => request.PathAndQuery == "/api/customers/me" && request.BearerToken == Shop.AccessToken);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_reaches_no_api()
    {
        _factory.Apis.Accounts();
        var browser = _factory.Browser();
        await browser.GetStringAsync("/account/signin");

        var response = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["Form.Email"] = "ada@example.com", ["Form.Password"] = "a long enough password",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(_factory.Apis.Requests, request => request.PathAndQuery.StartsWith("/api/customers/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signing_out_without_the_forms_token_is_refused()
    {
        _factory.Apis.Accounts();
        var browser = _factory.Browser();
        await browser.SignInAsync();

        var response = await browser.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_revokes_the_session_at_customers_and_private_pages_then_ask_to_sign_in()
    {
        _factory.Apis.Accounts();
        var browser = _factory.Browser();
        await browser.SignInAsync();
        var token = await browser.AntiforgeryTokenAsync("/account");

        var response = await browser.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(_factory.Apis.Requests, request => request.PathAndQuery == "/api/customers/logout" && request.BearerToken == Shop.AccessToken);
        var account = await browser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.Equal("/account/signin?returnUrl=%2Faccount", account.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_private_page_without_a_session_sends_to_sign_in_and_back()
    {
        var response = await _factory.Browser().GetAsync("/account/orders");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signin?returnUrl=%2Faccount%2Forders", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_api_refusing_the_token_sends_the_shopper_to_sign_in()
    {
        _factory.Apis.Accounts();
        var browser = _factory.Browser();
        await browser.SignInAsync();
        _factory.Apis.On(HttpMethod.Get, "/api/inventory/personal-data", _ => new HttpResponseMessage(HttpStatusCode.Unauthorized));

        var response = await browser.GetAsync("/account/orders");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_once_and_the_new_one_used()
    {
        _factory.Apis.Accounts(expiresIn: 1);
        _factory.Apis.OnJson(HttpMethod.Post, "/api/customers/refresh",
            new { accessToken = "the-refreshed-access-token", tokenType = "Bearer", expiresIn = 900, refreshToken = "the-next-refresh-token" });
        var browser = _factory.Browser();
        await browser.SignInAsync();

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);

        var refresh = Assert.Single(_factory.Apis.Requests, request => request.PathAndQuery == "/api/customers/refresh");
        Assert.Contains(Shop.RefreshToken, refresh.Body, StringComparison.Ordinal);
        Assert.Contains(_factory.Apis.Requests, request => request.PathAndQuery == "/api/customers/me" && request.BearerToken == "the-refreshed-access-token");
    }
}
