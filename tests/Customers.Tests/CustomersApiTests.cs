using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Customers.Data;
using Customers.Domain;
using TestSupport;

namespace Customers.Tests;

public sealed class CustomersApiTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public Task Ready_reports_postgres_redis_the_documents_bucket_and_the_jwt_secret_up() =>
        Readiness.AssertUpAsync(customers.CreateClient(), "postgres", "redis", "s3:mycomputer-documents", "secret:JWT_SECRET");

    [Fact]
    public async Task An_admin_lists_customers_from_postgres()
    {
        await customers.SeedAsync<CustomersDb>(db =>
            db.Customers.Add(new Customer { Email = "Ada@Example.test", Name = "Ada", PasswordHash = "not-a-real-hash" }));

        var page = await customers.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>("/api/customers/");

        var customer = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("Ada@Example.test", customer.GetProperty("email").GetString());
        Assert.False(customer.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task Listing_customers_needs_a_token_401_and_the_admin_role_403()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await customers.CreateClient().GetAsync(new Uri("/api/customers/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customers.ClientWithToken(TestTokens.Customer()).GetAsync(new Uri("/api/customers/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forged = TestTokens.SignedWithAnotherKey(Platform.Security.Roles.Admin);

        var response = await customers.ClientWithToken(forged).GetAsync(new Uri("/api/customers/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
