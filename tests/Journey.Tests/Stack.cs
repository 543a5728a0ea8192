using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Journey.Tests;

/// <summary>
/// The stack <c>./dev test</c> runs as processes: the four services behind haproxy (the ALB's path rules) and the Stripe
/// emulator. Everything here goes over HTTP as a client's would.
/// </summary>
public sealed class Stack
{
    public Stack()
    {
        var url = Environment.GetEnvironmentVariable("JOURNEY_URL")
            ?? throw new InvalidOperationException(
                "JOURNEY_URL is not set: the journey runs against the stack ./dev test starts (./dev test tests/Journey.Tests).");
        Http = new HttpClient { BaseAddress = new Uri(url) };
        Stripe = new global::Stripe.StripeClient(
            Environment.GetEnvironmentVariable("JOURNEY_STRIPE_KEY") ?? throw new InvalidOperationException("JOURNEY_STRIPE_KEY is not set."),
            apiBase: Environment.GetEnvironmentVariable("JOURNEY_STRIPE_URL") ?? throw new InvalidOperationException("JOURNEY_STRIPE_URL is not set."));
    }

    public HttpClient Http { get; }

    public global::Stripe.StripeClient Stripe { get; }

    /// <summary>Registers a new customer and logs in; returns a client that sends their access token.</summary>
    public async Task<HttpClient> NewCustomerAsync()
    {
        var email = $"journey-{Guid.NewGuid():N}@example.com";
        const string password = "a journey through the shop";
        (await Http.PostAsJsonAsync("/api/customers/register", new { email, password, name = "Grace Hopper" })).EnsureSuccessStatusCode();
        var login = await Http.PostAsJsonAsync("/api/customers/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = new HttpClient { BaseAddress = Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; 30 s, past the stack's 20 s reservation TTL.</summary>
    public static Task Eventually(Func<Task<bool>> condition, string what) =>
        global::TestSupport.Eventually.HoldsAsync(condition, what, TimeSpan.FromSeconds(30));
}
