extern alias emulator;
extern alias inventory;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Payments.Inventory;
using TestSupport;

namespace Payments.Tests;

/// <summary>
/// Payments as deployed, with what it talks to: the Stripe emulator over real HTTP (Stripe.net as in production), its
/// webhooks delivered to payments, inventory in-process for reservations, and queues of its own between them.
/// </summary>
public sealed class CheckoutStack : IAsyncLifetime
{
    public const string WebhookSecret = "whsec_test_checkout";
    public const string StripeKey = "sk_test_checkout";

    private readonly string _name = $"payments-test-{Guid.NewGuid():N}";
    private WebApplication? _stripe;

    public CheckoutStack()
    {
        Inventory = new InventoryService(this);
        Payments = new PaymentsService(this);
    }

    public InventoryService Inventory { get; }

    public PaymentsService Payments { get; }

    public string StripeUrl { get; private set; } = "";

    public string InventoryQueueUrl { get; private set; } = "";

    public string PaymentsQueueUrl { get; private set; } = "";

    public Stripe.StripeClient Stripe => new(StripeKey, apiBase: StripeUrl);

    public async Task InitializeAsync()
    {
        (InventoryQueueUrl, _) = await TestQueues.CreateAsync($"{_name}-inventory", visibilityTimeoutSeconds: 5);
        (PaymentsQueueUrl, _) = await TestQueues.CreateAsync($"{_name}-payments", visibilityTimeoutSeconds: 5);
        _stripe = emulator::StripeEmulator.Api.Build(
            ["--urls", "http://127.0.0.1:0", "--STRIPE_WEBHOOK_URL", "http://payments.internal/api/payments/webhooks/stripe", "--WEBHOOK_ENDPOINT_SECRET", WebhookSecret],
            builder => builder.Services.AddHttpClient(emulator::StripeEmulator.WebhookSender.Client)
                .ConfigurePrimaryHttpMessageHandler(() => Payments.Server.CreateHandler()));
        await _stripe.StartAsync();
        StripeUrl = _stripe.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        await Inventory.InitializeAsync();
        await Payments.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Payments).DisposeAsync();
        await ((IAsyncLifetime)Inventory).DisposeAsync();
        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }
    }

    private Dictionary<string, string> Queues => new()
    {
        ["INVENTORY_QUEUE"] = $"{_name}-inventory",
        ["PAYMENTS_QUEUE"] = $"{_name}-payments",
    };

    public sealed class InventoryService(CheckoutStack stack) : ServiceFixture<inventory::Program>("inventory")
    {
        protected override IReadOnlyDictionary<string, string> Settings => stack.Queues;
    }

    public sealed class PaymentsService(CheckoutStack stack) : ServiceFixture<Program>("payments")
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(stack.Queues)
        {
            ["STRIPE_API_BASE"] = stack.StripeUrl,
            ["STRIPE_SECRET_KEY"] = StripeKey,
            ["WEBHOOK_ENDPOINT_SECRET"] = WebhookSecret,
            ["INVENTORY_URL"] = "http://inventory.internal/",
        };

        protected override void ConfigureServices(IServiceCollection services)
        {
            base.ConfigureServices(services);
            services.AddHttpClient<InventoryClient>().ConfigurePrimaryHttpMessageHandler(() => stack.Inventory.Server.CreateHandler());
        }
    }
}
