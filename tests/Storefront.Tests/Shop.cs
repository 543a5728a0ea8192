using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Storefront.Tests;

/// <summary>What the tests' fake APIs answer, and a browser's steps: read a form's antiforgery token, post a form.</summary>
public static partial class Shop
{
    public const string AccessToken = "access-token-that-must-never-reach-the-browser";
    public const string RefreshToken = "refresh-token-that-must-never-reach-the-browser";
    public static readonly Guid CustomerId = Guid.Parse("01a23044-f9db-70ae-93c4-2c017aff115c");
    public static readonly Guid ProductId = Guid.Parse("01a2303a-c58d-75d7-82fc-807ddccc1e6d");
    public static readonly Guid StoreId = Guid.Parse("01a2303a-0000-7000-8000-000000000001");

    public static object Product => new
    {
        id = ProductId, sku = "MON-DELL-U2724D", name = "Dell UltraSharp U2724D", description = "27-inch QHD monitor.",
        category = "monitors", priceCents = 54900, currency = "EUR", imageUrls = new[] { "https://assets.test/u2724d.jpg" },
    };

    public static object Store => new
    {
        id = StoreId, name = "MyComputer Berlin Mitte", address = "Friedrichstraße 1", city = "Berlin", country = "DE",
        latitude = 52.52, longitude = 13.39, timeZone = "Europe/Berlin",
        openingHours = new[] { new { day = "monday", opens = "09:00", closes = "18:00" } },
    };

    public static void Catalogue(this FakeApis apis)
    {
        apis.OnJson(HttpMethod.Get, $"/api/inventory/products/{ProductId}/stock",
            new[] { new { locationId = StoreId, onHand = 5, reserved = 1, available = 4 } });
        apis.OnJson(HttpMethod.Get, $"/api/inventory/products/{ProductId}", Product);
        apis.OnJson(HttpMethod.Get, "/api/inventory/products?", new { items = new[] { Product }, page = 1, pageSize = 100, totalCount = 1 });
        apis.OnJson(HttpMethod.Get, "/api/locations/cities?",
            new { items = new[] { new { name = "Berlin", stores = 1 } }, page = 1, pageSize = 100, totalCount = 1 });
        apis.OnJson(HttpMethod.Get, $"/api/locations/{StoreId}", Store);
        apis.OnJson(HttpMethod.Get, "/api/locations/?", new { items = new[] { Store }, page = 1, pageSize = 100, totalCount = 1 });
    }

    public static void Accounts(this FakeApis apis, int expiresIn = 900, string role = "customer")
    {
        apis.OnJson(HttpMethod.Post, "/api/customers/login",
            new { accessToken = AccessToken, tokenType = "Bearer", expiresIn, refreshToken = RefreshToken });
        apis.OnJson(HttpMethod.Get, "/api/customers/me",
            new { id = CustomerId, email = "ada@example.com", name = "Ada Lovelace", role });
        apis.On(HttpMethod.Post, "/api/customers/logout", _ => new HttpResponseMessage(HttpStatusCode.NoContent));
    }

    public static async Task<string> AntiforgeryTokenAsync(this HttpClient browser, string path)
    {
        var page = await browser.GetStringAsync(path);
        return AntiforgeryField().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"{path} has no form with an antiforgery token.");
    }

    public static async Task<HttpResponseMessage> PostFormAsync(
        this HttpClient browser, string path, string handler, params (string Name, string Value)[] fields)
    {
        var token = await browser.AntiforgeryTokenAsync(path);
        return await browser.PostAsync(path, new FormUrlEncodedContent(
            [
                new("_handler", handler), new("__RequestVerificationToken", token),
                .. fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)),
            ]));
    }

    public static async Task SignInAsync(this HttpClient browser)
    {
        var response = await browser.PostFormAsync("/account/signin", "signin", ("Form.Email", "ada@example.com"), ("Form.Password", "a long enough password"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK) => new(status) { Content = JsonContent.Create(body) };

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
