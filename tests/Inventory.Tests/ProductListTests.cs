using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inventory.Data;
using Inventory.Domain;

namespace Inventory.Tests;

public sealed class ProductListTests(InventoryFixture inventory) : IClassFixture<InventoryFixture>
{
    [Fact]
    public async Task Products_are_listed_from_postgres_as_a_page()
    {
        await inventory.SeedAsync<InventoryDb>(db =>
            db.Products.Add(new Product { Sku = "LAP-001", Name = "ThinkPad X1", Category = "laptops-list-test", PriceCents = 129_900, Currency = "EUR" }));

        var page = await inventory.CreateClient().GetFromJsonAsync<JsonElement>("/api/inventory/products?category=laptops-list-test&page=1&pageSize=10");

        Assert.Equal(1, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(10, page.GetProperty("pageSize").GetInt32());
        var product = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("LAP-001", product.GetProperty("sku").GetString());
        Assert.Equal(129_900, product.GetProperty("priceCents").GetInt64());
    }

    [Theory]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task A_page_out_of_range_is_a_400_naming_the_field(string query, string field)
    {
        var response = await inventory.CreateClient().GetAsync(new Uri($"/api/inventory/products?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400_problem_not_a_500()
    {
        var response = await inventory.CreateClient().GetAsync(new Uri("/api/inventory/products?page=abc", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
