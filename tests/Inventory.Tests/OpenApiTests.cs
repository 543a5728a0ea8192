using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Security;
using TestSupport;

namespace Inventory.Tests;

public sealed class OpenApiTests(InventoryFixture inventory) : OpenApiDocumentTests<Program>(inventory, "inventory"), IClassFixture<InventoryFixture>
{
    [Fact]
    public async Task Reserving_declares_the_bearer_token_its_role_and_its_409_and_429_with_Retry_After()
    {
        var reserve = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/inventory/reservations").GetProperty("post");

        Assert.Equal("bearer", Assert.Single(reserve.GetProperty("security")[0].EnumerateObject()).Name);
        Assert.Contains(Roles.Customer, reserve.GetProperty("x-roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("customer", reserve.GetProperty("description").GetString(), StringComparison.Ordinal);
        var responses = reserve.GetProperty("responses");
        Assert.True(responses.TryGetProperty("409", out _));
        Assert.True(responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(responses.GetProperty("429").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task The_catalogue_is_anonymous()
    {
        var list = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/inventory/products").GetProperty("get");

        Assert.False(list.TryGetProperty("security", out _));
        Assert.False(list.GetProperty("responses").TryGetProperty("401", out _));
        Assert.Equal(HttpStatusCode.OK, (await inventory.CreateClient().GetAsync("/api/inventory/products")).StatusCode);
    }

    [Fact]
    public async Task The_maxLength_of_a_product_name_and_the_largest_page_are_what_validation_enforces()
    {
        var document = await DocumentAsync();
        var maxName = document.GetProperty("components").GetProperty("schemas").GetProperty("ProductRequest")
            .GetProperty("properties").GetProperty("name").GetProperty("maxLength").GetInt32();
        var pageSize = document.GetProperty("paths").GetProperty("/api/inventory/products").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "pageSize").GetProperty("schema");
        var maxPageSize = pageSize.GetProperty("maximum").GetInt32();
        var admin = inventory.ClientWithToken(TestTokens.For(Roles.Admin));

        var longest = await admin.PostAsJsonAsync("/api/inventory/products", Product(new string('n', maxName)));
        var tooLong = await admin.PostAsJsonAsync("/api/inventory/products", Product(new string('n', maxName + 1)));

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _));
        Assert.Equal(1, pageSize.GetProperty("minimum").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await inventory.CreateClient().GetAsync($"/api/inventory/products?pageSize={maxPageSize}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await inventory.CreateClient().GetAsync($"/api/inventory/products?pageSize={maxPageSize + 1}")).StatusCode);
    }

    private async Task<JsonElement> DocumentAsync() => JsonDocument.Parse(await DocumentTextAsync()).RootElement.Clone();

    private static object Product(string name) => new
    {
        sku = $"OA-{Guid.NewGuid():N}"[..20].ToUpperInvariant(),
        name,
        description = "",
        category = "laptops",
        priceCents = 1000,
        currency = "EUR",
    };
}
