using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Customers.Tests;

public sealed class ProfileTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task Me_is_the_callers_profile()
    {
        var customer = await customers.NewCustomerAsync("Katherine Johnson");

        var me = await customer.Client.GetFromJsonAsync<JsonElement>("/api/customers/me");

        Assert.Equal(customer.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(customer.Email, me.GetProperty("email").GetString());
        Assert.Equal("Katherine Johnson", me.GetProperty("name").GetString());
        Assert.Equal("customer", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Patch_changes_the_name()
    {
        var customer = await customers.NewCustomerAsync();

        var response = await customer.Client.PatchAsJsonAsync("/api/customers/me", new { name = "Dorothy Vaughan" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Dorothy Vaughan", (await customer.Client.GetFromJsonAsync<JsonElement>("/api/customers/me")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("role", "admin")]
    [InlineData("email", "someone-else@example.com")]
    [InlineData("id", "0199f5a0-0000-7000-8000-000000000000")]
    public async Task Patch_refuses_every_field_but_name_and_changes_nothing(string field, string value)
    {
        var customer = await customers.NewCustomerAsync("Unchanged");

        var response = await customer.Client.PatchAsJsonAsync("/api/customers/me", new Dictionary<string, string> { ["name"] = "Changed", [field] = value });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var me = await customer.Client.GetFromJsonAsync<JsonElement>("/api/customers/me");
        Assert.Equal("Unchanged", me.GetProperty("name").GetString());
        Assert.Equal("customer", me.GetProperty("role").GetString());
        Assert.Equal(customer.Email, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Patch_with_a_blank_name_is_400()
    {
        var customer = await customers.NewCustomerAsync();

        var response = await customer.Client.PatchAsJsonAsync("/api/customers/me", new { name = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Me_without_a_token_is_401()
    {
        var client = customers.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/customers/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PatchAsJsonAsync("/api/customers/me", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync(new Uri("/api/customers/me", UriKind.Relative))).StatusCode);
    }
}
