using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Customers.Tests;

public sealed class AdminTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task An_admin_lists_customers_without_their_password_hashes()
    {
        var customer = await customers.NewCustomerAsync("Barbara Liskov");
        var admin = await customers.AdminAsync();

        var page = await admin.GetFromJsonAsync<JsonElement>("/api/customers/?pageSize=100");

        var listed = Assert.Single(page.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetGuid() == customer.Id);
        Assert.Equal("Barbara Liskov", listed.GetProperty("name").GetString());
        Assert.False(listed.TryGetProperty("passwordHash", out _));
        Assert.True(page.GetProperty("totalCount").GetInt32() >= 2);
    }

    [Fact]
    public async Task An_admin_gets_one_customer_and_404_for_an_unknown_id()
    {
        var customer = await customers.NewCustomerAsync();
        var admin = await customers.AdminAsync();

        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/customers/{customer.Id}");
        var missing = await admin.GetAsync(new Uri($"/api/customers/{Guid.CreateVersion7()}", UriKind.Relative));

        Assert.Equal(customer.Email, found.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Customer_routes_for_admins_are_401_anonymous_and_403_for_a_customer()
    {
        var customer = await customers.NewCustomerAsync();

        foreach (var path in new[] { "/api/customers/", $"/api/customers/{customer.Id}" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await customers.CreateClient().GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await customer.Client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task A_page_size_over_100_is_400()
    {
        var admin = await customers.AdminAsync();

        var response = await admin.GetAsync(new Uri("/api/customers/?pageSize=101", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public Task Ready_reports_postgres_redis_the_documents_bucket_and_the_jwt_secret_up() =>
        TestSupport.Readiness.AssertUpAsync(customers.CreateClient(), "postgres", "redis", "s3:mycomputer-documents", "secret:JWT_SECRET");
}
