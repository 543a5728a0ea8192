using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Customers.Tests;

public sealed class OpenApiTests(CustomersFixture customers) : OpenApiDocumentTests<Program>(customers, "customers"), IClassFixture<CustomersFixture>
{
    // Customers trusts only the tokens it mints, so the token is a real customer's.
    protected override async Task<string> CustomerTokenAsync()
    {
        var client = Service.CreateClient();
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(client, email);
        var login = await Accounts.LoginAsync(client, email, Accounts.Password);
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
