using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Security.Tests;

/// <summary>
/// OWASP API3:2023: mass assignment (a property the caller may not write, sent anyway) and excessive data exposure (a
/// property the caller may not read, answered anyway).
/// </summary>
public sealed class API3_BrokenObjectPropertyLevelAuthorization(Stack stack) : IClassFixture<Stack>
{
    [StackTheory]
    [InlineData("role", "admin")]
    [InlineData("email", "someone-else@example.com")]
    [InlineData("id", "0197a6c4-0000-7000-8000-000000000000")]
    public async Task API3_a_profile_update_that_writes_more_than_the_name_is_400_and_changes_nothing(string property, string value)
    {
        var customer = await stack.NewCustomerAsync();

        var patched = await customer.Http.PatchAsJsonAsync("/api/customers/me", new Dictionary<string, string> { ["name"] = "Mallory", [property] = value });

        await patched.AssertProblemAsync(HttpStatusCode.BadRequest);
        var me = await customer.Http.GetJsonAsync("/api/customers/me");
        Assert.Equal(("customer", customer.Email, customer.Id, "Ada Lovelace"),
            (me.GetProperty("role").GetString(), me.GetProperty("email").GetString(), me.GetProperty("id").GetGuid(), me.GetProperty("name").GetString()));
        var relogged = await stack.LogInAsync(customer.Email, Stack.CustomerPassword);
        await (await relogged.Http.GetAsync("/api/customers/")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [StackFact]
    public async Task API3_a_role_in_the_registration_body_is_400_and_creates_no_account()
    {
        var email = $"security-{Guid.NewGuid():N}@example.com";

        var registered = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/register",
            new { email, password = Stack.CustomerPassword, name = "Mallory", role = "admin" });

        await registered.AssertProblemAsync(HttpStatusCode.BadRequest);
        var login = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/login", new { email, password = Stack.CustomerPassword });
        await login.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [StackFact]
    public async Task API3_a_reservation_body_that_sets_its_own_id_status_owner_or_total_is_400_or_has_them_ignored()
    {
        var (customer, victim) = (await stack.NewCustomerAsync(), await stack.NewCustomerAsync());
        var shelf = await stack.NewShelfAsync();
        var chosenId = Guid.CreateVersion7();

        var response = await customer.Http.PostAsJsonAsync("/api/inventory/reservations", new
        {
            id = chosenId,
            status = "committed",
            customerId = victim.Id,
            totalCents = 1,
            locationId = shelf.LocationId,
            items = new[] { new { productId = shelf.ProductId, quantity = 1 } },
        });

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(0, (await stack.StockAsync(shelf)).GetProperty("reserved").GetInt32());
            return;
        }

        var reservation = await response.JsonAsync(HttpStatusCode.Created);
        var id = reservation.GetProperty("id").GetGuid();
        Assert.NotEqual(chosenId, id);
        Assert.Equal("pending", reservation.GetProperty("status").GetString());
        Assert.Equal(1999, reservation.GetProperty("totalCents").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await customer.Http.GetAsync($"/api/inventory/reservations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await victim.Http.GetAsync($"/api/inventory/reservations/{id}")).StatusCode);
    }

    [StackFact]
    public async Task API3_a_payment_body_that_sets_its_amount_or_status_is_400_or_has_them_ignored()
    {
        var customer = await stack.NewCustomerAsync();
        var reservation = await customer.Http.ReserveAsync(await stack.NewShelfAsync());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/")
        {
            Content = JsonContent.Create(
                new { reservationId = reservation.GetProperty("id").GetGuid(), amountCents = 1, currency = "JPY", status = "succeeded" }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await customer.Http.SendAsync(request);

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            return;
        }

        var payment = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal((reservation.GetProperty("totalCents").GetInt64(), "EUR"),
            (payment.GetProperty("amountCents").GetInt64(), payment.GetProperty("currency").GetString()));
        Assert.NotEqual("succeeded", payment.GetProperty("status").GetString());
    }

    [StackFact]
    public async Task API3_no_answer_about_a_customer_carries_a_password_hash_a_session_or_a_key()
    {
        var customer = await stack.NewCustomerAsync();
        var admin = (await stack.AdminAsync()).Http;

        var answers = new[]
        {
            await customer.Http.GetStringAsync("/api/customers/me"),
            await admin.GetStringAsync($"/api/customers/{customer.Id}"),
            await admin.GetStringAsync("/api/customers/?pageSize=100"),
            await stack.Anonymous().Http.GetStringAsync("/api/customers/.well-known/jwks.json"),
        };

        foreach (var answer in answers)
        {
            var names = PropertyNames(JsonDocument.Parse(answer).RootElement).ToList();
            Assert.DoesNotContain(names, name => name.Contains("password", StringComparison.OrdinalIgnoreCase)
                || name.Contains("hash", StringComparison.OrdinalIgnoreCase) || name.Contains("session", StringComparison.OrdinalIgnoreCase)
                || name.Contains("secret", StringComparison.OrdinalIgnoreCase) || name is "d" or "p" or "q" or "dp" or "dq");
        }
    }

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };
}
