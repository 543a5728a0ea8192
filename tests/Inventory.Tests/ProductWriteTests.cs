using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inventory.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace Inventory.Tests;

public sealed class ProductWriteTests(ReservationsFixture inventory) : IClassFixture<ReservationsFixture>
{
    private const string Products = "/api/inventory/products";

    [Fact]
    public async Task Put_replaces_a_product_and_the_cached_list_shows_it_at_once()
    {
        var id = await CreateAsync("MON-27-4K", "Monitor 27 inch", "monitors-put");
        await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"{Products}?category=monitors-put"); // cached now

        var response = await Admin().PutAsJsonAsync($"{Products}/{id}", Body("MON-27-4K", "Monitor 27 inch 4K", "monitors-put", 44_900));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"{Products}/{id}");
        Assert.Equal("Monitor 27 inch 4K", read.GetProperty("name").GetString());
        Assert.Equal(44_900, read.GetProperty("priceCents").GetInt64());
        var list = await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"{Products}?category=monitors-put");
        Assert.Equal("Monitor 27 inch 4K", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Put_with_another_products_sku_is_409_and_an_invalid_put_is_400_both_changing_nothing()
    {
        await CreateAsync("KB-TAKEN", "Keyboard", "keyboards");
        var id = await CreateAsync("KB-MINE", "Keyboard mine", "keyboards");

        var duplicate = await Admin().PutAsJsonAsync($"{Products}/{id}", Body("KB-TAKEN", "Renamed", "keyboards"));
        var invalid = await Admin().PutAsJsonAsync($"{Products}/{id}", Body("KB-MINE", "Renamed", "keyboards", -1));
        var unknown = await Admin().PutAsJsonAsync($"{Products}/{Guid.CreateVersion7()}", Body("KB-NEW", "New", "keyboards"));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var read = await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"{Products}/{id}");
        Assert.Equal(("KB-MINE", "Keyboard mine"), (read.GetProperty("sku").GetString(), read.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Delete_removes_the_product_and_its_stock_then_is_404()
    {
        var id = await inventory.NewProductAsync(onHand: 3);

        var deleted = await Admin().DeleteAsync($"{Products}/{id}");
        var read = await inventory.CreateClient().GetAsync($"{Products}/{id}");
        var again = await Admin().DeleteAsync($"{Products}/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        await using var scope = inventory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<InventoryDb>().Stock.AnyAsync(s => s.ProductId == id));
    }

    [Fact]
    public async Task A_product_with_reserved_stock_cannot_be_deleted()
    {
        var id = await inventory.NewProductAsync(onHand: 3);
        await inventory.ReserveAsync(id, 1);

        var response = await Admin().DeleteAsync($"{Products}/{id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inventory.CreateClient().GetAsync($"{Products}/{id}")).StatusCode);
    }

    [Fact]
    public async Task Writes_need_an_admin()
    {
        var id = await inventory.NewProductAsync(onHand: 3);
        var customer = inventory.ClientWithToken(TestTokens.Customer());

        var statuses = new[]
        {
            (await inventory.CreateClient().PutAsJsonAsync($"{Products}/{id}", Body("X-1", "X", "x"))).StatusCode,
            (await inventory.CreateClient().DeleteAsync($"{Products}/{id}")).StatusCode,
            (await customer.PutAsJsonAsync($"{Products}/{id}", Body("X-1", "X", "x"))).StatusCode,
            (await customer.DeleteAsync($"{Products}/{id}")).StatusCode,
        };

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], statuses);
        Assert.Equal(HttpStatusCode.OK, (await inventory.CreateClient().GetAsync($"{Products}/{id}")).StatusCode);
    }

    [Fact]
    public async Task Search_matches_name_or_description_ignoring_case_and_takes_wildcards_literally()
    {
        await CreateAsync("SRCH-1", "UltraWide Curved Monitor", "search-test", description: "A 34 inch panel");
        await CreateAsync("SRCH-2", "Docking station", "search-test", description: "Drives two ULTRAWIDE screens");
        await CreateAsync("SRCH-3", "Cable 100% copper", "search-test");
        await CreateAsync("SRCH-4", "Mouse", "search-test");

        Assert.Equal(["Docking station", "UltraWide Curved Monitor"], await SearchAsync("ultrawide"));
        Assert.Equal(["Cable 100% copper"], await SearchAsync("100%"));
        Assert.Empty(await SearchAsync("m_use"));
        Assert.Equal(4, (await SearchAsync("")).Count);
    }

    [Fact]
    public async Task A_search_longer_than_100_characters_is_400()
    {
        var response = await inventory.CreateClient().GetAsync($"{Products}?search={new string('a', 101)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_search_can_use_the_trigram_indexes_instead_of_scanning()
    {
        await using var scope = inventory.Services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<InventoryDb>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // The planner prefers a scan on a table this small; forbidding it shows whether the indexes can serve the search.
        command.CommandText = """
            SET enable_seqscan = off;
            EXPLAIN SELECT * FROM products WHERE name ILIKE '%ultrawide%' OR description ILIKE '%ultrawide%';
            """;
        var plan = new System.Text.StringBuilder();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        Assert.Contains("ix_products_name_trigrams", plan.ToString(), StringComparison.Ordinal);
        Assert.Contains("ix_products_description_trigrams", plan.ToString(), StringComparison.Ordinal);
    }

    private HttpClient Admin() => inventory.ClientWithToken(TestTokens.Admin());

    private static object Body(string sku, string name, string category, long priceCents = 19_900, string description = "") =>
        new { sku, name, description, category, priceCents, currency = "EUR" };

    private async Task<Guid> CreateAsync(string sku, string name, string category, string description = "")
    {
        var response = await Admin().PostAsJsonAsync(Products, Body(sku, name, category, description: description));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<List<string>> SearchAsync(string term) =>
        [.. (await inventory.CreateClient().GetFromJsonAsync<JsonElement>($"{Products}?category=search-test&search={Uri.EscapeDataString(term)}"))
            .GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
}
