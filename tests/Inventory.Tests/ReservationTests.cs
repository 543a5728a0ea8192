using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inventory.Reservations;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace Inventory.Tests;

public sealed class ReservationTests(ReservationsFixture inventory) : IClassFixture<ReservationsFixture>
{
    private const string Reservations = "/api/inventory/reservations";

    [Fact]
    public async Task A_reservation_holds_the_stock_and_its_total_comes_from_current_prices()
    {
        var laptop = await inventory.NewProductAsync(onHand: 10, priceCents: 129_900);
        var mouse = await inventory.NewProductAsync(onHand: 5, priceCents: 4_990);

        var response = await Customer().PostAsJsonAsync(Reservations, Request((laptop, 2), (mouse, 1)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reservation = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"{Reservations}/{reservation.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", reservation.GetProperty("status").GetString());
        Assert.Equal(2 * 129_900 + 4_990, reservation.GetProperty("totalCents").GetInt64());
        Assert.Equal("EUR", reservation.GetProperty("currency").GetString());
        Assert.Equal(inventory.Clock.GetUtcNow().AddMinutes(15), reservation.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(2, reservation.GetProperty("items").GetArrayLength());
        Assert.Equal((10, 2), Levels(await inventory.StockAsync(laptop)));
        Assert.Equal((5, 1), Levels(await inventory.StockAsync(mouse)));
    }

    [Fact]
    public async Task Fifty_concurrent_reservations_of_the_last_ten_units_give_exactly_ten_201s_and_forty_409s()
    {
        var product = await inventory.NewProductAsync(onHand: 10);
        var clients = Enumerable.Range(0, 50).Select(_ => Customer()).ToList();
        using var start = new SemaphoreSlim(0);
        var attempts = clients.Select(async client =>
        {
            await start.WaitAsync();
            return (await client.PostAsJsonAsync(Reservations, Request((product, 1)))).StatusCode;
        }).ToList();

        var clock = Stopwatch.StartNew();
        start.Release(50);
        var statuses = await Task.WhenAll(attempts);
        clock.Stop();

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(40, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal((10, 10), Levels(await inventory.StockAsync(product)));
        Console.WriteLine($"50 concurrent reservations took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task When_one_item_is_short_nothing_is_reserved_and_the_409_lists_it()
    {
        var plenty = await inventory.NewProductAsync(onHand: 10);
        var scarce = await inventory.NewProductAsync(onHand: 1);

        var response = await Customer().PostAsJsonAsync(Reservations, Request((plenty, 3), (scarce, 2)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var shortItem = Assert.Single(problem.GetProperty("shortItems").EnumerateArray());
        Assert.Equal(scarce, shortItem.GetProperty("productId").GetGuid());
        Assert.Equal(2, shortItem.GetProperty("requested").GetInt32());
        Assert.Equal(1, shortItem.GetProperty("available").GetInt32());
        Assert.Equal((10, 0), Levels(await inventory.StockAsync(plenty)));
        Assert.Equal((1, 0), Levels(await inventory.StockAsync(scarce)));
    }

    [Fact]
    public async Task A_product_with_no_stock_at_the_location_is_short_with_nothing_available()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var elsewhere = new { locationId = Guid.CreateVersion7(), items = new[] { new { productId = product, quantity = 1 } } };

        var response = await Customer().PostAsJsonAsync(Reservations, elsewhere);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, Assert.Single(problem.GetProperty("shortItems").EnumerateArray()).GetProperty("available").GetInt32());
    }

    [Theory]
    [InlineData("""{ "items": [{ "productId": "PRODUCT", "quantity": 1 }] }""", "locationId")]
    [InlineData("""{ "locationId": "LOCATION", "items": [] }""", "items")]
    [InlineData("""{ "locationId": "LOCATION", "items": [{ "productId": "PRODUCT", "quantity": 0 }] }""", "items[0]")]
    [InlineData("""{ "locationId": "LOCATION", "items": [{ "productId": "PRODUCT", "quantity": 1001 }] }""", "items[0]")]
    [InlineData(
        """{ "locationId": "LOCATION", "items": [{ "productId": "PRODUCT", "quantity": 1 }, { "productId": "PRODUCT", "quantity": 1 }] }""",
        "items[1]")]
    [InlineData(
        """{ "locationId": "LOCATION", "items": [{ "productId": "PRODUCT", "quantity": 1 }, { "productId": "UNKNOWN", "quantity": 1 }] }""",
        "items[1].productId")]
    public async Task An_invalid_reservation_is_400_naming_the_field_and_holds_nothing(string template, string field)
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var body = template.Replace("PRODUCT", product.ToString(), StringComparison.Ordinal)
            .Replace("LOCATION", inventory.LocationId.ToString(), StringComparison.Ordinal)
            .Replace("UNKNOWN", Guid.CreateVersion7().ToString(), StringComparison.Ordinal);

        var response = await Customer().PostAsync(Reservations, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Equal((5, 0), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task Reserving_needs_a_token()
    {
        var product = await inventory.NewProductAsync(onHand: 5);

        var response = await inventory.CreateClient().PostAsJsonAsync(Reservations, Request((product, 1)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal((5, 0), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task A_reservation_is_visible_to_its_owner_and_an_admin_and_404_to_anyone_else()
    {
        var owner = Guid.CreateVersion7();
        var location = await inventory.ReserveAsync(await inventory.NewProductAsync(onHand: 5), 1, owner);

        var asOwner = await inventory.ClientWithToken(TestTokens.Customer(owner)).GetAsync(location);
        var asAdmin = await inventory.ClientWithToken(TestTokens.Admin()).GetAsync(location);
        var asStranger = await Customer().GetAsync(location);
        var anonymous = await inventory.CreateClient().GetAsync(location);
        var unknown = await inventory.ClientWithToken(TestTokens.Customer(owner)).GetAsync($"{Reservations}/{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.OK, asOwner.StatusCode);
        Assert.Equal(owner, (await asOwner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asStranger.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Release_gives_the_stock_back_once_however_often_it_is_asked_and_only_for_the_owner()
    {
        var owner = Guid.CreateVersion7();
        var product = await inventory.NewProductAsync(onHand: 5);
        var location = await inventory.ReserveAsync(product, 3, owner);
        var client = inventory.ClientWithToken(TestTokens.Customer(owner));

        var byStranger = await Customer().PostAsync($"{location}/release", null);
        var first = await client.PostAsync($"{location}/release", null);
        var second = await client.PostAsync($"{location}/release", null);

        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("released", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal((5, 0), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task An_expired_reservation_is_released_by_the_sweeper_and_a_live_one_is_not()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var owner = Guid.CreateVersion7();
        var expiring = await inventory.ReserveAsync(product, 2, owner);
        inventory.Clock.Advance(TimeSpan.FromMinutes(10));
        var live = await inventory.ReserveAsync(product, 1, owner);

        inventory.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await Sweeper().SweepOnceAsync(CancellationToken.None);

        var client = inventory.ClientWithToken(TestTokens.Customer(owner));
        Assert.Equal("released", (await client.GetFromJsonAsync<JsonElement>(expiring)).GetProperty("status").GetString());
        Assert.Equal("pending", (await client.GetFromJsonAsync<JsonElement>(live)).GetProperty("status").GetString());
        Assert.Equal((5, 1), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task Two_sweepers_at_once_release_each_expired_reservation_exactly_once()
    {
        // Other tests' reservations share the clock: let them expire and sweep them first, so only these 40 are left.
        inventory.Clock.Advance(TimeSpan.FromMinutes(16));
        await SweepAllAsync(Sweeper());
        var product = await inventory.NewProductAsync(onHand: 100);
        for (var i = 0; i < 40; i++)
        {
            await inventory.ReserveAsync(product, 2, Guid.CreateVersion7());
        }

        inventory.Clock.Advance(TimeSpan.FromMinutes(16));
        var (one, other) = (Sweeper(), Sweeper());
        var released = await Task.WhenAll(SweepAllAsync(one), SweepAllAsync(other));

        Assert.Equal(40, released.Sum());
        Assert.Equal((100, 0), Levels(await inventory.StockAsync(product)));

        static async Task<int> SweepAllAsync(ReservationSweeper sweeper)
        {
            var total = 0;
            int batch;
            while ((batch = await sweeper.SweepOnceAsync(CancellationToken.None)) > 0)
            {
                total += batch;
            }

            return total;
        }
    }

    private static (int OnHand, int Reserved) Levels(Domain.StockLevel stock) => (stock.OnHand, stock.Reserved);

    private HttpClient Customer() => inventory.ClientWithToken(TestTokens.Customer());

    /// <summary>A second task's sweeper: its own instance over the same database.</summary>
    private ReservationSweeper Sweeper() => ActivatorUtilities.CreateInstance<ReservationSweeper>(inventory.Services);

    private object Request(params (Guid ProductId, int Quantity)[] items) =>
        new { locationId = inventory.LocationId, items = items.Select(i => new { productId = i.ProductId, quantity = i.Quantity }) };
}
