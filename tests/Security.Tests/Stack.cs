using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Security.Tests;

/// <summary>
/// The stack <c>./dev test</c> runs as processes, reached only through the load balancer (the ALB's path rules), as an
/// attacker on the internet reaches it. Each client it hands out has an address of its own: the load balancer forwards
/// it in <c>X-Forwarded-For</c>, so the per-address login throttle sees distinct attackers and victims, and one test's
/// failed logins never throttle another's.
/// </summary>
public sealed class Stack : IDisposable
{
    public const string CustomerPassword = "a password nobody guesses";

    public static readonly string[] Services = ["inventory", "customers", "payments", "locations"];

    // Random, so a run soon after another does not meet the addresses the last one got throttled.
    private static int _lastAddress = Random.Shared.Next(1 << 16);

    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private readonly Lazy<Task<Client>> _admin;

    public Stack()
    {
        BaseAddress = new Uri(Variable("STACK_URL"));
        AdminEmail = Variable("STACK_ADMIN_EMAIL");
        AdminPassword = Variable("STACK_ADMIN_PASSWORD");
        WebhookSecret = Variable("STACK_WEBHOOK_SECRET");
        // inventory=13001,inventory-2=13011,...: the first instance of each service, for what the load balancer does not route.
        ServicePorts = Variable("STACK_SERVICE_PORTS").Split(',')
            .Select(entry => entry.Split('='))
            .Where(pair => Services.Contains(pair[0]))
            .ToDictionary(pair => pair[0], pair => int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
        _admin = new Lazy<Task<Client>>(() => LogInAsync(AdminEmail, AdminPassword));
    }

    public Uri BaseAddress { get; }

    public string AdminEmail { get; }

    public string AdminPassword { get; }

    /// <summary>Stripe's signing secret for the webhook, so a test can show what a valid delivery would have changed.</summary>
    public string WebhookSecret { get; }

    public IReadOnlyDictionary<string, int> ServicePorts { get; }

    /// <summary>An anonymous client with an address of its own.</summary>
    public Client Anonymous()
    {
        var address = NewAddress();
        return new Client(NewHttpClient(address, token: null), address);
    }

    /// <summary>A client with an address of its own that sends <paramref name="token"/> as its bearer token.</summary>
    public HttpClient WithToken(string token) => NewHttpClient(NewAddress(), token);

    public Task<Client> AdminAsync() => _admin.Value;

    /// <summary>Registers a customer no other test knows and logs them in.</summary>
    public async Task<Customer> NewCustomerAsync()
    {
        var email = $"security-{Guid.NewGuid():N}@example.com";
        var anonymous = Anonymous().Http;
        var registered = await anonymous.PostAsJsonAsync("/api/customers/register", new { email, password = CustomerPassword, name = "Ada Lovelace" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var client = await LogInAsync(email, CustomerPassword);
        return new Customer(client.Http, id, email, client.Tokens!);
    }

    /// <summary>Logs in from an address of its own; fails the test unless the login succeeds.</summary>
    public async Task<Client> LogInAsync(string email, string password)
    {
        var address = NewAddress();
        var login = await NewHttpClient(address, token: null).PostAsJsonAsync("/api/customers/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var tokens = (await login.Content.ReadFromJsonAsync<Tokens>())!;
        return new Client(NewHttpClient(address, tokens.AccessToken), address, tokens);
    }

    /// <summary>A client of the service itself, past the load balancer, for the documents it does not route.</summary>
    public HttpClient Direct(string service) =>
        new(_handler, disposeHandler: false) { BaseAddress = new Uri($"http://127.0.0.1:{ServicePorts[service]}") };

    /// <summary>An address of the benchmarking range 198.18.0.0/15 (RFC 2544) that no other client of this run has.</summary>
    public static string NewAddress()
    {
        var n = Interlocked.Increment(ref _lastAddress) % (1 << 17);
        return $"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}";
    }

    public HttpClient NewHttpClient(string address, string? token)
    {
        var http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    public void Dispose() => _handler.Dispose();

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException(
            $"{name} is not set: the security suite runs against the stack ./dev test starts (./dev test tests/Security.Tests/Security.Tests.csproj).");
}

public sealed record Tokens(string AccessToken, string RefreshToken);

public sealed record Client(HttpClient Http, string Address, Tokens? Tokens = null);

public sealed record Customer(HttpClient Http, Guid Id, string Email, Tokens Tokens);
