using System.Net;
using System.Net.Http.Json;

namespace Security.Tests;

/// <summary>
/// OWASP API5:2023: every admin operation, called by a customer (403) and by nobody (401), on real objects that are
/// unchanged afterwards. Who becomes an admin is decided by the bootstrap alone, which needs restarts with other
/// configuration to attack: <c>Customers.Tests.AdminBootstrapTests</c> (<c>API5_…</c>) proves it cannot be squatted by
/// registering <c>ADMIN_EMAIL</c> first, and that a restored role or password ends the admin's sessions.
/// </summary>
public sealed class API5_BrokenFunctionLevelAuthorization(Stack stack) : IClassFixture<Stack>
{
    [StackFact]
    public async Task API5_every_admin_operation_is_403_for_a_customer_and_401_anonymous_and_changes_nothing()
    {
        var (customer, other) = (await stack.NewCustomerAsync(), await stack.NewCustomerAsync());
        var shelf = await stack.NewShelfAsync();
        var reservation = (await customer.Http.ReserveAsync(shelf)).GetProperty("id").GetGuid();
        var payment = (await customer.Http.PayAsync(reservation)).GetProperty("id").GetGuid();
        var before = await Snapshot(shelf, payment, customer);
        var ids = new Dictionary<string, Guid>
        {
            ["/api/inventory/products/{id}"] = shelf.ProductId,
            ["/api/customers/{id}"] = other.Id,
            ["/api/payments/{id}"] = payment,
            ["/api/locations/{id}"] = shelf.LocationId,
        };

        var adminOperations = Access.Operations.Where(operation => operation.Value == Caller.Admin).Select(operation => operation.Key).ToList();
        foreach (var operation in adminOperations)
        {
            var (method, template) = (operation.Split(' ')[0], operation.Split(' ')[1]);
            var path = template.Replace("{locationId}", shelf.LocationId.ToString(), StringComparison.Ordinal);
            foreach (var (prefix, id) in ids)
            {
                path = path.Replace(prefix, prefix.Replace("{id}", id.ToString(), StringComparison.Ordinal), StringComparison.Ordinal);
            }

            var asCustomer = await customer.Http.SendAsync(Request(method, path));
            var anonymous = await stack.Anonymous().Http.SendAsync(Request(method, path));

            Assert.True(asCustomer.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as a customer: {(int)asCustomer.StatusCode}");
            await asCustomer.AssertProblemAsync(HttpStatusCode.Forbidden);
            await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(before, await Snapshot(shelf, payment, customer));
    }

    [StackTheory]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("X-HTTP-Method")]
    [InlineData("X-Method-Override")]
    public async Task API5_a_method_override_header_does_not_turn_a_read_into_an_admin_delete(string header)
    {
        var customer = await stack.NewCustomerAsync();
        var shelf = await stack.NewShelfAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/products/{shelf.ProductId}");
        request.Headers.Add(header, "DELETE");

        var response = await customer.Http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True((int)response.StatusCode is 403 or 405, $"answered {(int)response.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, (await stack.Anonymous().Http.GetAsync($"/api/inventory/products/{shelf.ProductId}")).StatusCode);
    }

    [StackFact]
    public async Task API5_a_customer_token_carries_the_customer_role_whatever_was_asked_at_registration()
    {
        var customer = await stack.NewCustomerAsync();

        var me = await customer.Http.GetJsonAsync("/api/customers/me");
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(customer.Tokens.AccessToken);

        Assert.Equal("customer", me.GetProperty("role").GetString());
        Assert.Equal("customer", token.GetClaim("role").Value);
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { onHand = 0, amountCents = 1 }) };

    /// <summary>What an admin operation would have changed: the product, its stock, the store, the payment, the customers.</summary>
    private async Task<string> Snapshot(Shop.Shelf shelf, Guid payment, Customer customer)
    {
        var admin = (await stack.AdminAsync()).Http;
        var product = await admin.GetStringAsync($"/api/inventory/products/{shelf.ProductId}");
        // onHand, not reserved: the test stack's reservations expire after 20 s, which is no admin's doing.
        var stock = (await stack.StockAsync(shelf)).GetProperty("onHand").GetInt32();
        var store = await admin.GetStringAsync($"/api/locations/{shelf.LocationId}");
        var paid = (await customer.Http.GetJsonAsync($"/api/payments/{payment}")).GetProperty("status").GetString();
        var role = (await customer.Http.GetJsonAsync("/api/customers/me")).GetProperty("role").GetString();
        return string.Join('\n', product, stock, store, paid, role);
    }
}
