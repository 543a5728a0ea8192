using Microsoft.Extensions.Options;
using Payments.Inventory;
using Platform.Secrets;

namespace Payments.Provider;

public static class PaymentProviderExtensions
{
    /// <summary>Stripe (its key and webhook secret from the secret store), and inventory's reservations over HTTP.</summary>
    public static IHostApplicationBuilder AddPaymentProvider(this IHostApplicationBuilder builder)
    {
        builder.AddSecret("STRIPE_SECRET_KEY");
        builder.AddSecret("WEBHOOK_ENDPOINT_SECRET");
        builder.Services.AddHttpClient(StripeGateway.HttpClientName);
        builder.Services.AddSingleton<StripeGateway>();
        builder.Services.AddScoped<StripeEventProcessor>();
        builder.Services.AddHttpClient<InventoryClient>((services, http) =>
                http.BaseAddress = new Uri(services.GetRequiredService<IOptions<PaymentsOptions>>().Value.InventoryUrl.TrimEnd('/') + "/"))
            .AddStandardResilienceHandler();
        return builder;
    }
}
