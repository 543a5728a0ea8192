using System.Net;
using System.Net.Http.Json;

namespace Customers.Tests;

public sealed class SessionTimeoutFixture() : CustomersFixture(new Dictionary<string, string> { ["SESSION_TIMEOUT"] = "6" });

public sealed class SessionTimeoutTests(SessionTimeoutFixture customers) : IClassFixture<SessionTimeoutFixture>
{
    [Fact]
    public async Task A_session_in_use_outlives_SESSION_TIMEOUT_and_an_idle_one_ends_after_it()
    {
        var customer = await customers.NewCustomerAsync();
        var refreshToken = customer.Tokens.RefreshToken;

        // Used every 3 s for 9 s: longer than the timeout, and still alive because every refresh restarts the count.
        // The 3 s of slack absorb a busy machine.
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var response = await Accounts.RefreshAsync(customers.CreateClient(), refreshToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            refreshToken = (await response.Content.ReadFromJsonAsync<TokenPair>())!.RefreshToken;
        }

        await Task.Delay(TimeSpan.FromSeconds(7));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.RefreshAsync(customers.CreateClient(), refreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.Client.GetAsync(new Uri("/api/customers/me", UriKind.Relative))).StatusCode);
    }
}
