using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Customers.Tests;

public sealed class LockoutTests(LockoutFixture customers) : IClassFixture<LockoutFixture>
{
    [Fact]
    public async Task API2_a_strangers_failed_logins_do_not_lock_out_the_owner_while_the_stranger_is_throttled()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email);
        var stranger = NewAddress();
        using var metrics = new TestSupport.MetricsRecorder(customers.Services);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(stranger, email, "wrong password, attempt " + i)).StatusCode);
        }

        var throttled = await LoginAsync(stranger, email, Accounts.Password);
        var owner = await LoginAsync(NewAddress(), email, Accounts.Password);

        await AssertThrottledAsync(throttled, "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP");
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal(3, metrics.Sum("logins.failed"));
        Assert.Equal(1, metrics.Sum("logins.throttled", ("limit", "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP")));
        Assert.Equal(1, metrics.Sum("logins.throttled"));
    }

    [Fact]
    public async Task API2_past_the_account_ceiling_each_address_gets_one_attempt_and_the_owner_still_logs_in()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email);

        // Guesses spread over many addresses, past the account's ceiling of 8.
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(NewAddress(), email, "spread guess " + i)).StatusCode);
        }

        var another = NewAddress();
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(another, email, "one more guess")).StatusCode);
        await AssertThrottledAsync(await LoginAsync(another, email, "and another"), "LOGIN_MAX_FAILURES_PER_ACCOUNT");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(NewAddress(), email, Accounts.Password)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_email_is_throttled_exactly_like_a_real_account()
    {
        var email = Accounts.NewEmail();
        var address = NewAddress();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(address, email, "wrong password")).StatusCode);
        }

        await AssertThrottledAsync(await LoginAsync(address, email, "wrong password"), "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP");
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

        await AssertThrottledAsync(await LoginAsync(attacker, email, Accounts.Password), "LOGIN_MAX_FAILURES_PER_IP");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(NewAddress(), email, Accounts.Password)).StatusCode);
    }

    [Fact]
    public async Task A_successful_login_starts_the_count_of_its_address_afresh()
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
    public async Task Parallel_guesses_from_one_address_cannot_exceed_the_limit()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email);
        var address = NewAddress();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => LoginAsync(address, email, "parallel guess " + i)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    private static async Task AssertThrottledAsync(HttpResponseMessage response, string limit)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 120);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(limit, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("limit").GetString());
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
