using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Inventory;
using Platform.Hosting;
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
        // Keys must outlive a client's retries (at least 24 hours); event ids must outlive Stripe's (3 days).
        builder.AddRetention(new RetentionRule<PaymentsDb>("idempotency keys", TimeSpan.FromDays(7),
            (db, cutoff, ct) => db.IdempotencyKeys.Where(k => k.CreatedAt < cutoff).ExecuteDeleteAsync(ct)));
        builder.AddRetention(new RetentionRule<PaymentsDb>("Stripe event ids", TimeSpan.FromDays(30),
            (db, cutoff, ct) => db.StripeEvents.Where(e => e.ReceivedAt < cutoff).ExecuteDeleteAsync(ct)));
        return builder;
    }
}
