extern alias customers;
extern alias inventory;
extern alias locations;
extern alias payments;

using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Platform.Security;
using TestSupport;

namespace Auth.Tests;

/// <summary>
/// Customers minting tokens with a key this test knows, and inventory, payments and locations validating them as deployed: with
/// the keys fetched from customers' JWKS document through <c>JWT_JWKS_URL</c> (here answered by the in-process customers).
/// </summary>
public sealed class Stack : IAsyncLifetime
{
    public const string AdminEmail = "admin@mycomputer.test";
    public const string AdminPassword = "admin password for tests";

    public static readonly ECDsa SigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Stack()
    {
        Customers = new CustomersService();
        Inventory = new ValidatingService<inventory::Program>("inventory", Customers);
        Payments = new ValidatingService<payments::Program>("payments", Customers);
        Locations = new ValidatingService<locations::Program>("locations", Customers);
    }

    public CustomersService Customers { get; }

    public ValidatingService<inventory::Program> Inventory { get; }

    public ValidatingService<payments::Program> Payments { get; }

    public ValidatingService<locations::Program> Locations { get; }

    public static string KeyId => TestTokens.KeyIdOf(SigningKey);

    public async Task InitializeAsync()
    {
        await Customers.InitializeAsync();
        await Task.WhenAll(Inventory.InitializeAsync(), Payments.InitializeAsync(), Locations.InitializeAsync());
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Inventory).DisposeAsync();
        await ((IAsyncLifetime)Payments).DisposeAsync();
        await ((IAsyncLifetime)Locations).DisposeAsync();
        await ((IAsyncLifetime)Customers).DisposeAsync();
    }

    public sealed class CustomersService() : ServiceFixture<customers::Program>("customers")
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["JWT_SECRET"] = SigningKey.ExportPkcs8PrivateKeyPem(),
            ["ADMIN_EMAIL"] = AdminEmail,
            ["ADMIN_PASSWORD"] = AdminPassword,
        };

        protected override void ConfigureServices(IServiceCollection services)
        {
        }
    }

    public sealed class ValidatingService<TProgram>(string service, CustomersService customers) : ServiceFixture<TProgram>(service)
        where TProgram : class
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["JWT_JWKS_URL"] = "http://customers.internal/api/customers/.well-known/jwks.json",
        };

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddHttpClient(AuthExtensions.JwksHttpClient).ConfigurePrimaryHttpMessageHandler(() => customers.Server.CreateHandler());
    }
}
