using System.Net;
using System.Net.Http.Json;

namespace Security.Tests;

/// <summary>
/// OWASP API6:2023: the checkout used as designed but to hoard stock or to pay twice. The per-customer ceilings
/// (pending reservations, units of a product at a store, reservations a minute) are raised out of reach on the test
/// stack, where the journey's one customer takes a whole shelf; <c>Inventory.Tests.HoardingTests</c> and
/// <c>Inventory.Tests.CustomerRateLimitTests</c> (<c>API6_…</c>) prove them at their real values.
/// </summary>
public sealed class API6_UnrestrictedAccessToSensitiveBusinessFlows(Stack stack) : IClassFixture<Stack>
{
    [StackFact]
    public async Task API6_listing_a_product_twice_to_pass_the_quantity_cap_is_400_naming_the_second_line()
    {
        var customer = await stack.NewCustomerAsync();
        var shelf = await stack.NewShelfAsync();

        var response = await customer.Http.PostAsJsonAsync("/api/inventory/reservations", new
        {
            locationId = shelf.LocationId,
            items = new[] { new { productId = shelf.ProductId, quantity = 1 }, new { productId = shelf.ProductId, quantity = 1 } },
        });

        await response.AssertNamesFieldAsync("items[1]");
        Assert.Equal(0, (await stack.StockAsync(shelf)).GetProperty("reserved").GetInt32());
    }

    [StackFact]
    public async Task API6_customers_racing_for_the_last_unit_get_it_once_and_the_others_are_told_it_is_short()
    {
        var shelf = await stack.NewShelfAsync(onHand: 1);
        var customers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => stack.NewCustomerAsync()));

        var answers = await Task.WhenAll(customers.Select(customer => customer.Http.PostAsJsonAsync("/api/inventory/reservations",
            new { locationId = shelf.LocationId, items = new[] { new { productId = shelf.ProductId, quantity = 1 } } })));

        Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(answer => answer.StatusCode != HttpStatusCode.Created))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("Not enough stock", problem.GetProperty("title").GetString());
        }

        // The unit is held once: never twice (oversold), never lost (reserved by a refused request).
        var level = await stack.StockAsync(shelf);
        Assert.Equal(1, level.GetProperty("reserved").GetInt32());
        Assert.Equal(0, level.GetProperty("available").GetInt32());
    }

    [StackFact]
    public async Task API6_a_reservation_has_one_live_payment_so_a_second_key_cannot_pay_it_twice()
    {
        var customer = await stack.NewCustomerAsync();
        var reservation = (await customer.Http.ReserveAsync(await stack.NewShelfAsync())).GetProperty("id").GetGuid();
        var first = await customer.Http.PayAsync(reservation);

        var second = await customer.Http.SendAsync(Shop.PaymentRequest(reservation, Guid.NewGuid().ToString()));

        await second.AssertProblemAsync(HttpStatusCode.Conflict);
        var payments = await customer.Http.GetJsonAsync($"/api/payments/?reservationId={reservation}");
        Assert.Equal(first.GetProperty("id").GetGuid(), payments.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid());
    }

    [StackFact]
    public async Task API6_the_same_idempotency_key_with_another_reservation_is_422_not_a_second_charge()
    {
        var customer = await stack.NewCustomerAsync();
        var (one, two) = (await stack.NewShelfAsync(), await stack.NewShelfAsync());
        var first = (await customer.Http.ReserveAsync(one)).GetProperty("id").GetGuid();
        var second = (await customer.Http.ReserveAsync(two)).GetProperty("id").GetGuid();
        var key = Guid.NewGuid().ToString();
        await (await customer.Http.SendAsync(Shop.PaymentRequest(first, key))).JsonAsync(HttpStatusCode.Created);

        var reused = await customer.Http.SendAsync(Shop.PaymentRequest(second, key));

        await reused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Empty((await customer.Http.GetJsonAsync($"/api/payments/?reservationId={second}")).GetProperty("items").EnumerateArray());
    }
}
