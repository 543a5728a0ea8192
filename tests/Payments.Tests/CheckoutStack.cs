extern alias emulator;
extern alias inventory;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Trace;
using Payments.Inventory;
using Payments.Provider;
using TestSupport;

namespace Payments.Tests;

/// <summary>
/// Payments as deployed, with what it talks to: the Stripe emulator over real HTTP (Stripe.net as in production), its
/// webhooks delivered to payments, inventory in-process for reservations, and queues of its own between them.
/// </summary>
public class CheckoutStack : IAsyncLifetime
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

    /// <summary>Faults on payments' calls to Stripe; none unless a test arms one.</summary>
    public StripeFaults StripeFaults { get; } = new();

    /// <summary>Webhook deliveries from the emulator to payments; delivered unless a test loses them.</summary>
    public WebhookLine Webhooks { get; } = new();

    /// <summary>Every span both services record (all of them: the stack samples every trace), as exported.</summary>
    public SpanCollection Spans { get; } = new();

    /// <summary>Payments' clock.</summary>
    public ShiftedClock PaymentsClock { get; } = new();

    /// <summary>Settings of payments beyond the stack's own, for a test class that needs other limits or timings.</summary>
    protected virtual IReadOnlyDictionary<string, string> PaymentsSettings => new Dictionary<string, string>();

    public string InventoryQueueUrl { get; private set; } = "";

    public string PaymentsQueueUrl { get; private set; } = "";

    public Stripe.StripeClient Stripe => new(StripeKey, apiBase: StripeUrl);

    public async Task InitializeAsync()
    {
        (InventoryQueueUrl, _) = await TestQueues.CreateAsync($"{_name}-inventory", visibilityTimeoutSeconds: 5);
        (PaymentsQueueUrl, _) = await TestQueues.CreateAsync($"{_name}-payments", visibilityTimeoutSeconds: 5);
        _stripe = emulator::StripeEmulator.Api.Build(
            [
                "--urls", "http://127.0.0.1:0", "--STRIPE_WEBHOOK_URL", "http://payments.internal/api/payments/webhooks/stripe",
                "--WEBHOOK_ENDPOINT_SECRET", WebhookSecret,
            ],
            builder => builder.Services.AddHttpClient(emulator::StripeEmulator.WebhookSender.Client)
                .ConfigurePrimaryHttpMessageHandler(() => Payments.Server.CreateHandler())
                .AddHttpMessageHandler(Webhooks.Handler));
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
        ["OTEL_TRACES_SAMPLER_ARG"] = "1",
    };

    private void ExportSpans(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));

    public sealed class InventoryService(CheckoutStack stack) : ServiceFixture<inventory::Program>("inventory")
    {
        protected override IReadOnlyDictionary<string, string> Settings => stack.Queues;

        protected override void ConfigureServices(IServiceCollection services)
        {
            base.ConfigureServices(services);
            stack.ExportSpans(services);
        }
    }

    public sealed class PaymentsService(CheckoutStack stack) : ServiceFixture<Program>("payments")
    {
        protected override IReadOnlyDictionary<string, string> Settings
        {
            get
            {
                var settings = new Dictionary<string, string>(stack.Queues)
                {
                    ["STRIPE_API_BASE"] = stack.StripeUrl,
                    ["STRIPE_SECRET_KEY"] = StripeKey,
                    ["WEBHOOK_ENDPOINT_SECRET"] = WebhookSecret,
                    ["INVENTORY_URL"] = "http://inventory.internal/",
                };
                foreach (var (name, value) in stack.PaymentsSettings)
                {
                    settings[name] = value;
                }

                return settings;
            }
        }

        protected override void ConfigureServices(IServiceCollection services)
        {
            base.ConfigureServices(services);
            services.AddHttpClient<InventoryClient>().ConfigurePrimaryHttpMessageHandler(() => stack.Inventory.Server.CreateHandler());
            services.AddHttpClient(StripeGateway.HttpClientName).AddHttpMessageHandler(stack.StripeFaults.Handler);
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(stack.PaymentsClock));
            stack.ExportSpans(services);
        }
    }
}
