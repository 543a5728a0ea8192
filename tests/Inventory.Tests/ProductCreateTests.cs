using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Inventory.Tests;

public sealed class ProductCreateTests(InventoryFixture inventory) : IClassFixture<InventoryFixture>
{
    [Fact]
    public async Task An_admin_creates_a_product_201_with_its_location_and_it_can_be_read_back()
    {
        var admin = inventory.ClientWithToken(TestTokens.Admin());

        var response = await admin.PostAsJsonAsync("/api/inventory/products", NewProduct("LAP-X1-2026"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/inventory/products/{created.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        var read = await inventory.CreateClient().GetFromJsonAsync<JsonElement>(response.Headers.Location!.OriginalString);
        Assert.Equal("LAP-X1-2026", read.GetProperty("sku").GetString());
        Assert.Equal(189_900, read.GetProperty("priceCents").GetInt64());
        Assert.Equal("EUR", read.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task A_duplicate_sku_is_409()
    {
        var admin = inventory.ClientWithToken(TestTokens.Admin());
        await admin.PostAsJsonAsync("/api/inventory/products", NewProduct("MON-DUP-1"));

        var duplicate = await admin.PostAsJsonAsync("/api/inventory/products", NewProduct("MON-DUP-1"));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_new_product_is_in_the_list_at_once_even_when_the_list_was_cached()
    {
        var admin = inventory.ClientWithToken(TestTokens.Admin());
        var before = await inventory.CreateClient().GetFromJsonAsync<JsonElement>("/api/inventory/products?category=cache-test");

        await admin.PostAsJsonAsync("/api/inventory/products", NewProduct("CACHE-1", "cache-test"));
        var after = await inventory.CreateClient().GetFromJsonAsync<JsonElement>("/api/inventory/products?category=cache-test");

        Assert.Equal(0, before.GetProperty("totalCount").GetInt32());
        Assert.Equal("CACHE-1", Assert.Single(after.GetProperty("items").EnumerateArray()).GetProperty("sku").GetString());
    }

    [Theory]
    [InlineData("sku", "lower-case")]
    [InlineData("currency", "euro")]
    [InlineData("category", "")]
    [InlineData("name", " ")]
    public async Task An_invalid_field_is_400_naming_it(string field, string value)
    {
        var product = NewProduct("VALID-1");
        product[field] = value;

        var response = await inventory.ClientWithToken(TestTokens.Admin()).PostAsJsonAsync("/api/inventory/products", product);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_negative_price_is_400()
    {
        var product = NewProduct("NEG-1");
        product["priceCents"] = -1;

        var response = await inventory.ClientWithToken(TestTokens.Admin()).PostAsJsonAsync("/api/inventory/products", product);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Creating_a_product_is_401_anonymous_and_403_for_a_customer()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await inventory.CreateClient().PostAsJsonAsync("/api/inventory/products", NewProduct("AUTH-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await inventory.ClientWithToken(TestTokens.Customer()).PostAsJsonAsync("/api/inventory/products", NewProduct("AUTH-1"))).StatusCode);
    }

    [Fact]
    public async Task An_unknown_product_is_404()
    {
        var response = await inventory.CreateClient().GetAsync(new Uri($"/api/inventory/products/{Guid.CreateVersion7()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Dictionary<string, object> NewProduct(string sku, string category = "laptops") => new()
    {
        ["sku"] = sku,
        ["name"] = "ThinkPad X1 Carbon Gen 13",
        ["description"] = "14-inch business ultrabook",
        ["category"] = category,
        ["priceCents"] = 189_900,
        ["currency"] = "EUR",
    };
}
