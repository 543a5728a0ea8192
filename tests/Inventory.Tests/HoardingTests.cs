using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inventory.Data;
using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace Inventory.Tests;

/// <summary>OWASP API6 (unrestricted access to sensitive business flows): one account must not hold a store's stock.</summary>
public sealed class HoardingTests(HoardingFixture inventory) : IClassFixture<HoardingFixture>
{
    private const string Reservations = "/api/inventory/reservations";

    [Fact]
    public async Task API6_A_customers_pending_reservation_past_the_limit_is_409_naming_the_limit_and_reserves_nothing()
    {
        var customer = Guid.CreateVersion7();
        for (var i = 0; i < HoardingFixture.MaxPending; i++)
        {
            await inventory.ReserveAsync(await inventory.NewProductAsync(onHand: 10), 1, customer);
        }

        var product = await inventory.NewProductAsync(onHand: 10);
        var response = await Client(customer).PostAsJsonAsync(Reservations, Request((product, 1)));

        await AssertLimitProblemAsync(response, "MAX_PENDING_RESERVATIONS_PER_CUSTOMER", HoardingFixture.MaxPending);
        Assert.Equal(0, (await inventory.StockAsync(product)).Reserved);
        Assert.Equal(HoardingFixture.MaxPending, await PendingCountAsync(customer));
        Assert.Equal(HttpStatusCode.Created, (await Client(Guid.CreateVersion7()).PostAsJsonAsync(Reservations, Request((product, 1)))).StatusCode);
    }

    [Fact]
    public async Task API6_Units_of_one_product_at_one_store_are_capped_across_a_customers_reservations()
    {
        var customer = Guid.CreateVersion7();
        var product = await inventory.NewProductAsync(onHand: 100);
        var other = await inventory.NewProductAsync(onHand: 100);

        var tooManyAtOnce = await Client(customer).PostAsJsonAsync(Reservations, Request((product, HoardingFixture.MaxUnits + 1)));
        await inventory.ReserveAsync(product, 3, customer);
        var pastTheCap = await Client(customer).PostAsJsonAsync(Reservations, Request((other, 1), (product, 3)));
        var upToTheCap = await Client(customer).PostAsJsonAsync(Reservations, Request((other, 1), (product, HoardingFixture.MaxUnits - 3)));

        await AssertLimitProblemAsync(tooManyAtOnce, "MAX_UNITS_PER_PRODUCT_PER_CUSTOMER", HoardingFixture.MaxUnits);
        var problem = await AssertLimitProblemAsync(pastTheCap, "MAX_UNITS_PER_PRODUCT_PER_CUSTOMER", HoardingFixture.MaxUnits);
        Assert.Equal(product, problem.GetProperty("productId").GetGuid());
        Assert.Equal(3, problem.GetProperty("held").GetInt32());
        Assert.Equal(HttpStatusCode.Created, upToTheCap.StatusCode);
        Assert.Equal(HoardingFixture.MaxUnits, (await inventory.StockAsync(product)).Reserved);
        Assert.Equal(1, (await inventory.StockAsync(other)).Reserved);
    }

    [Fact]
    public async Task API6_The_units_cap_counts_each_store_on_its_own()
    {
        var customer = Guid.CreateVersion7();
        var product = await inventory.NewProductAsync(onHand: 100);
        var otherStore = Guid.CreateVersion7();
        await inventory.SeedAsync<InventoryDb>(db => db.Stock.Add(new StockLevel { ProductId = product, LocationId = otherStore, OnHand = 100 }));
        await inventory.ReserveAsync(product, HoardingFixture.MaxUnits, customer);

        var elsewhere = await Client(customer).PostAsJsonAsync(Reservations,
            new { locationId = otherStore, items = new[] { new { productId = product, quantity = HoardingFixture.MaxUnits } } });

        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Fact]
    public async Task API6_Releasing_a_reservation_frees_the_allowance()
    {
        var customer = Guid.CreateVersion7();
        var product = await inventory.NewProductAsync(onHand: 100);
        var held = new List<string>();
        for (var i = 0; i < HoardingFixture.MaxPending; i++)
        {
            held.Add(await inventory.ReserveAsync(product, 1, customer));
        }

        var refused = await Client(customer).PostAsJsonAsync(Reservations, Request((product, 1)));
        (await Client(customer).PostAsync($"{held[0]}/release", null)).EnsureSuccessStatusCode();
        var afterRelease = await Client(customer).PostAsJsonAsync(Reservations, Request((product, HoardingFixture.MaxUnits - HoardingFixture.MaxPending + 1)));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, afterRelease.StatusCode);
        Assert.Equal(HoardingFixture.MaxUnits, (await inventory.StockAsync(product)).Reserved);
    }

    [Fact]
    public async Task API6_Concurrent_reservations_by_one_customer_never_pass_the_pending_limit()
    {
        var customer = Guid.CreateVersion7();
        var products = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            products.Add(await inventory.NewProductAsync(onHand: 10));
        }

        var statuses = await RaceAsync(products.Select(p => (Client(customer), Request((p, 1)))).ToList());

        Assert.Equal(HoardingFixture.MaxPending, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(12 - HoardingFixture.MaxPending, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(HoardingFixture.MaxPending, await PendingCountAsync(customer));
        var reserved = 0;
        foreach (var product in products)
        {
            reserved += (await inventory.StockAsync(product)).Reserved;
        }

        Assert.Equal(HoardingFixture.MaxPending, reserved);
    }

    [Fact]
    public async Task API6_Concurrent_reservations_by_one_customer_never_pass_the_units_cap()
    {
        var customer = Guid.CreateVersion7();
        var product = await inventory.NewProductAsync(onHand: 100);

        // Two units each: two of them fit under the cap of five, a third would not.
        var statuses = await RaceAsync(Enumerable.Range(0, 10).Select(_ => (Client(customer), Request((product, 2)))).ToList());

        Assert.Equal(HoardingFixture.MaxUnits / 2, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(10 - HoardingFixture.MaxUnits / 2, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(HoardingFixture.MaxUnits / 2 * 2, (await inventory.StockAsync(product)).Reserved);
    }

    [Fact]
    public async Task API6_Many_customers_racing_for_the_last_units_get_exactly_them_and_the_rest_are_told_it_is_short()
    {
        var product = await inventory.NewProductAsync(onHand: 20);

        var responses = await RaceForResponsesAsync(Enumerable.Range(0, 60).Select(_ => (Client(Guid.CreateVersion7()), Request((product, 1)))).ToList());

        Assert.Equal(20, responses.Count(r => r.Status == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal("Not enough stock", r.Body.GetProperty("title").GetString());
        });
        var stock = await inventory.StockAsync(product);
        Assert.Equal((20, 20), (stock.OnHand, stock.Reserved));
    }

    private static async Task<JsonElement> AssertLimitProblemAsync(HttpResponseMessage response, string variable, int value)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(variable, problem.GetProperty("limit").GetString());
        Assert.Equal(value, problem.GetProperty("limitValue").GetInt32());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"{variable} = {value}", detail, StringComparison.Ordinal);
        return problem;
    }

    private static async Task<HttpStatusCode[]> RaceAsync(List<(HttpClient Client, object Body)> requests) =>
        [.. (await RaceForResponsesAsync(requests)).Select(r => r.Status)];

    /// <summary>
    /// Sends every request at the same moment. A 503 (a loaded machine's database wait past its budget: nothing was
    /// reserved) is sent again after its Retry-After, as a client would, so each answer is the one the race decided.
    /// </summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)[]> RaceForResponsesAsync(List<(HttpClient Client, object Body)> requests)
    {
        using var start = new SemaphoreSlim(0);
        var attempts = requests.Select(async request =>
        {
            await start.WaitAsync();
            for (var attempt = 1; ; attempt++)
            {
                var response = await request.Client.PostAsJsonAsync(Reservations, request.Body);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3)
                {
                    return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
                }

                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            }
        }).ToList();
        start.Release(requests.Count);
        return await Task.WhenAll(attempts);
    }

    private async Task<int> PendingCountAsync(Guid customer)
    {
        await using var scope = inventory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InventoryDb>();
        return await db.Reservations.CountAsync(r => r.CustomerId == customer && r.Status == ReservationStatus.Pending);
    }

    private HttpClient Client(Guid customer) => inventory.ClientWithToken(TestTokens.Customer(customer));

    private object Request(params (Guid ProductId, int Quantity)[] items) =>
        new { locationId = inventory.LocationId, items = items.Select(i => new { productId = i.ProductId, quantity = i.Quantity }) };
}
