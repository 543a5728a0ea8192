using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Customers.Tests;

public sealed class HostileInputTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task API8_a_NUL_in_the_name_at_registration_is_a_400_naming_name_and_creates_nothing()
    {
        var email = Accounts.NewEmail();
        var body = $$"""{"email": "{{email}}", "password": "{{Accounts.Password}}", "name": "Grace\u0000Hopper"}""";

        var response = await customers.CreateClient().PostAsync(new Uri("/api/customers/register", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertNamesAsync(response, "name");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.LoginAsync(customers.CreateClient(), email, Accounts.Password)).StatusCode);
    }

    [Fact]
    public async Task API8_a_NUL_in_a_query_value_is_a_400_naming_it_before_the_handler()
    {
        var customer = await customers.NewCustomerAsync();

        var response = await customer.Client.GetAsync(new Uri("/api/customers/me?search=a%00b", UriKind.Relative));

        await AssertNamesAsync(response, "search");
    }

    [Fact]
    public async Task API4_a_page_near_int_MaxValue_is_400_not_500()
    {
        var admin = await customers.AdminAsync();

        var response = await admin.GetAsync(new Uri("/api/customers/?page=2147483647&pageSize=100", UriKind.Relative));

        await AssertNamesAsync(response, "page");
    }

    private static async Task AssertNamesAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }
}
