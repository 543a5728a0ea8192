using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Inventory.Tests;

public sealed class StockTests(ReservationsFixture inventory) : IClassFixture<ReservationsFixture>
{
    [Fact]
    public async Task Stock_is_listed_per_location_with_what_is_available()
    {
        var product = await inventory.NewProductAsync(onHand: 7);
        await inventory.ReserveAsync(product, 3);

        var stock = await inventory.CreateClient().GetFromJsonAsync<List<JsonElement>>($"/api/inventory/products/{product}/stock");

        var level = Assert.Single(stock!);
        Assert.Equal(inventory.LocationId, level.GetProperty("locationId").GetGuid());
        Assert.Equal(7, level.GetProperty("onHand").GetInt32());
        Assert.Equal(3, level.GetProperty("reserved").GetInt32());
        Assert.Equal(4, level.GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task The_stock_of_an_unknown_product_is_404()
    {
        var response = await inventory.CreateClient().GetAsync($"/api/inventory/products/{Guid.CreateVersion7()}/stock");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_sets_on_hand_at_a_new_location_and_changes_it()
    {
        var product = await inventory.NewProductAsync(onHand: 1);
        var newLocation = Guid.CreateVersion7();

        var created = await Admin().PutAsJsonAsync($"/api/inventory/products/{product}/stock/{newLocation}", new { onHand = 12 });
        var changed = await Admin().PutAsJsonAsync($"/api/inventory/products/{product}/stock/{newLocation}", new { onHand = 9 });

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var level = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(newLocation, level.GetProperty("locationId").GetGuid());
        Assert.Equal(9, level.GetProperty("available").GetInt32());
        var stock = await inventory.CreateClient().GetFromJsonAsync<List<JsonElement>>($"/api/inventory/products/{product}/stock");
        Assert.Equal(2, stock!.Count);
    }

    [Fact]
    public async Task On_hand_below_what_is_reserved_is_409_and_changes_nothing()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        await inventory.ReserveAsync(product, 4);

        var response = await Admin().PutAsJsonAsync($"/api/inventory/products/{product}/stock/{inventory.LocationId}", new { onHand = 3 });
        var atTheReserve = await Admin().PutAsJsonAsync($"/api/inventory/products/{product}/stock/{inventory.LocationId}", new { onHand = 4 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atTheReserve.StatusCode);
        var stock = await inventory.StockAsync(product);
        Assert.Equal((4, 4), (stock.OnHand, stock.Reserved));
    }

    [Theory]
    [InlineData("""{ "onHand": -1 }""", HttpStatusCode.BadRequest)]
    [InlineData("""{ }""", HttpStatusCode.BadRequest)]
    [InlineData("""{ "onHand": "many" }""", HttpStatusCode.BadRequest)]
    public async Task An_invalid_on_hand_is_400(string body, HttpStatusCode expected)
    {
        var product = await inventory.NewProductAsync(onHand: 5);

        var response = await Admin().PutAsync($"/api/inventory/products/{product}/stock/{inventory.LocationId}",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(5, (await inventory.StockAsync(product)).OnHand);
    }

    [Fact]
    public async Task Setting_stock_needs_an_admin_and_a_known_product()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var path = $"/api/inventory/products/{product}/stock/{inventory.LocationId}";

        var anonymous = await inventory.CreateClient().PutAsJsonAsync(path, new { onHand = 50 });
        var customer = await inventory.ClientWithToken(TestTokens.Customer()).PutAsJsonAsync(path, new { onHand = 50 });
        var unknown = await Admin().PutAsJsonAsync($"/api/inventory/products/{Guid.CreateVersion7()}/stock/{inventory.LocationId}", new { onHand = 50 });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(5, (await inventory.StockAsync(product)).OnHand);
    }

    private HttpClient Admin() => inventory.ClientWithToken(TestTokens.Admin());
}
