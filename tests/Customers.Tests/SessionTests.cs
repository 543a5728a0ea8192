using System.Net;
using System.Net.Http.Json;

namespace Customers.Tests;

public sealed class SessionTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task Refresh_returns_a_new_pair_and_the_old_refresh_token_stops_working()
    {
        var customer = await customers.NewCustomerAsync();

        var refreshed = await Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var next = (await refreshed.Content.ReadFromJsonAsync<TokenPair>())!;
        Assert.NotEqual(customer.Tokens.RefreshToken, next.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await customers.ClientWithToken(next.AccessToken).GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Accounts.RefreshAsync(customers.CreateClient(), next.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Replaying_a_used_refresh_token_ends_the_whole_session()
    {
        var customer = await customers.NewCustomerAsync();
        var next = (await (await Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken)).Content.ReadFromJsonAsync<TokenPair>())!;

        var replay = await Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.RefreshAsync(customers.CreateClient(), next.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await customers.ClientWithToken(next.AccessToken).GetAsync(Me)).StatusCode);
    }

    [Fact]
    public async Task API2_a_made_up_secret_for_a_known_session_is_401_and_the_session_lives_on()
    {
        var customer = await customers.NewCustomerAsync();
        var sessionId = customer.Tokens.RefreshToken.Split('.')[0];

        var forged = await Accounts.RefreshAsync(customers.CreateClient(), sessionId + ".a-made-up-secret-for-a-known-session");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await customer.Client.GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task API2_replaying_a_secret_two_rotations_old_still_ends_the_session()
    {
        var customer = await customers.NewCustomerAsync();
        var second = await RefreshedAsync(customer.Tokens.RefreshToken);
        var third = await RefreshedAsync(second.RefreshToken);

        var replay = await Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await customers.ClientWithToken(third.AccessToken).GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.RefreshAsync(customers.CreateClient(), third.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Two_refreshes_racing_with_one_token_cannot_both_win()
    {
        var customer = await customers.NewCustomerAsync();

        var responses = await Task.WhenAll(
            Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken),
            Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken));

        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_ends_the_session_its_access_and_refresh_tokens_but_not_the_customers_other_sessions()
    {
        var customer = await customers.NewCustomerAsync();
        var otherDevice = await customers.LoginAsync(customer.Email, Accounts.Password);

        var logout = await customer.Client.PostAsync(new Uri("/api/customers/logout", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.Client.GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await customers.ClientWithToken(otherDevice.AccessToken).GetAsync(Me)).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("0123456789abcdef0123456789abcdef.made-up-secret")]
    public async Task An_unknown_or_malformed_refresh_token_is_401(string refreshToken)
    {
        var response = await Accounts.RefreshAsync(customers.CreateClient(), refreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Logout_without_a_token_is_401()
    {
        var response = await customers.CreateClient().PostAsync(new Uri("/api/customers/logout", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<TokenPair> RefreshedAsync(string refreshToken)
    {
        var response = await Accounts.RefreshAsync(customers.CreateClient(), refreshToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TokenPair>())!;
    }

    private static Uri Me => new("/api/customers/me", UriKind.Relative);
}
