using System.Net;
using System.Net.Http.Json;

namespace Customers.Tests;

public sealed class LockoutTests(LockoutFixture customers) : IClassFixture<LockoutFixture>
{
    [Fact]
    public async Task After_three_failures_an_account_answers_429_with_Retry_After_even_to_the_right_password_from_elsewhere()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(NewAddress(), email, "wrong password, attempt " + i)).StatusCode);
        }

        var locked = await LoginAsync(NewAddress(), email, Accounts.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 120);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_email_is_locked_out_exactly_like_a_real_account()
    {
        var email = Accounts.NewEmail();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(NewAddress(), email, "wrong password")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(NewAddress(), email, "wrong password")).StatusCode);
    }

    [Fact]
    public async Task After_six_failures_from_one_address_every_login_from_it_is_429_while_other_addresses_still_log_in()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email);
        var attacker = NewAddress();

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(attacker, Accounts.NewEmail(), "guess")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(attacker, email, Accounts.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(NewAddress(), email, Accounts.Password)).StatusCode);
    }

    [Fact]
    public async Task A_successful_login_starts_the_account_count_afresh()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email);
        var address = NewAddress();

        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(address, email, "typo one")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(address, email, "typo two")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(address, email, Accounts.Password)).StatusCode);
        }
    }

    [Fact]
    public async Task Parallel_guesses_cannot_exceed_the_limit()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => LoginAsync(NewAddress(), email, "parallel guess " + i)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    private Task<HttpResponseMessage> LoginAsync(string address, string email, string password)
    {
        var client = customers.CreateClient();
        // As the load balancer forwards it; the platform takes the client address from it.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client.PostAsJsonAsync("/api/customers/login", new { email, password });
    }

    private static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
}
