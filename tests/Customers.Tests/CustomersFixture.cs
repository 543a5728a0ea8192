using System.Net.Http.Json;
using Customers.Privacy;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace Customers.Tests;

/// <summary>
/// The customers service as it runs in production: it trusts only the tokens it mints itself, and start-up ensures
/// the admin account below. It publishes to queues of its own, and what it reads from inventory and payments for an
/// export comes from <see cref="OtherServices"/>.
/// </summary>
public class CustomersFixture : ServiceFixture<Program>
{
    public const string AdminEmail = "admin@mycomputer.test";
    public const string AdminPassword = "admin password for tests";

    private readonly IReadOnlyDictionary<string, string> _overrides;
    private readonly string _queues = $"customers-test-{Guid.NewGuid():N}";

    public OtherServices OtherServices { get; } = new();

    public string InventoryQueueUrl { get; private set; } = "";

    public string PaymentsQueueUrl { get; private set; } = "";

    public CustomersFixture()
        : this(new Dictionary<string, string>())
    {
    }

    protected CustomersFixture(IReadOnlyDictionary<string, string> overrides)
        : base("customers") => _overrides = overrides;

    protected override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>
            {
                ["ADMIN_EMAIL"] = AdminEmail,
                ["ADMIN_PASSWORD"] = AdminPassword,
                // In-process requests share one client address; lockout tests set their own limits and addresses.
                ["LOGIN_MAX_FAILURES_PER_IP"] = "100000",
                ["INVENTORY_QUEUE"] = $"{_queues}-inventory",
                ["PAYMENTS_QUEUE"] = $"{_queues}-payments",
                ["INVENTORY_URL"] = Tests.OtherServices.InventoryUrl,
                ["PAYMENTS_URL"] = Tests.OtherServices.PaymentsUrl,
            };
            foreach (var (key, value) in _overrides)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    protected override async Task BeforeStartAsync()
    {
        (InventoryQueueUrl, _) = await TestQueues.CreateAsync($"{_queues}-inventory");
        (PaymentsQueueUrl, _) = await TestQueues.CreateAsync($"{_queues}-payments");
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddHttpClient(PersonalDataElsewhere.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => OtherServices);

    public async Task<HttpClient> AdminAsync() => ClientWithToken((await LoginAsync(AdminEmail, AdminPassword)).AccessToken);

    /// <summary>Registers a new customer and logs them in.</summary>
    public async Task<SignedIn> NewCustomerAsync(string name = "Grace Hopper")
    {
        var email = Accounts.NewEmail();
        var registered = await Accounts.RegisterAsync(CreateClient(), email, name);
        var tokens = await LoginAsync(email, Accounts.Password);
        return new SignedIn(registered.Id, email, tokens, ClientWithToken(tokens.AccessToken));
    }

    public async Task<TokenPair> LoginAsync(string email, string password)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/customers/login", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenPair>())!;
    }
}

public sealed record SignedIn(Guid Id, string Email, TokenPair Tokens, HttpClient Client);
