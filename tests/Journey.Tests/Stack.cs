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

    /// <summary>
    /// The first line of <paramref name="service"/>'s logs (any instance's) whose message starts with
    /// <paramref name="message"/>, once it is written.
    /// </summary>
    public static async Task<JsonElement> LogLineAsync(string service, string message)
    {
        var logs = Environment.GetEnvironmentVariable("STACK_LOGS") ?? throw new InvalidOperationException("STACK_LOGS is not set.");
        JsonElement? found = null;
        await Eventually(async () =>
        {
            foreach (var file in Directory.GetFiles(logs, $"{service}*.log"))
            {
                // Shared: the service is still writing it.
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith('{') && JsonSerializer.Deserialize<JsonElement>(line) is var entry
                        && entry.TryGetProperty("Message", out var text) && text.GetString()!.StartsWith(message, StringComparison.Ordinal))
                    {
                        found = entry;
                        return true;
                    }
                }
            }

            return false;
        }, $"{service} logging \"{message}\"");
        return found!.Value;
    }

    /// <summary>The trace id a JSON log line was written in (from its scopes).</summary>
    public static string? TraceIdOf(JsonElement logLine) =>
        logLine.GetProperty("Scopes").EnumerateArray()
            .Select(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) ? id.GetString() : null)
            .FirstOrDefault(id => id is not null);

    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen in time");
            await Task.Delay(200);
        }
    }
}
