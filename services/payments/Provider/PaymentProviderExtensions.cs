using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Flows;
using Payments.Inventory;
using Platform.Errors;
using Platform.Hosting;
using Platform.Secrets;
using Platform.Security;
using Stripe;

namespace Payments.Provider;

public static class PaymentProviderExtensions
{
    /// <summary>
    /// Stripe (its key and webhook secret from the secret store), inventory's reservations over HTTP, the phased payment
    /// and refund flows, and the reconciler that finishes what they leave.
    /// </summary>
    public static IHostApplicationBuilder AddPaymentProvider(this IHostApplicationBuilder builder)
    {
        builder.AddSecret("STRIPE_SECRET_KEY");
        builder.AddSecret("WEBHOOK_ENDPOINT_SECRET");
        // The gateway keeps one HttpClient: its handler lives as long, and its connections are renewed (DNS) instead.
        builder.Services.AddHttpClient(StripeGateway.HttpClientName, (services, http) =>
                http.Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<PaymentsOptions>>().Value.StripeTimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        // A Stripe failure that escapes a flow (a retrieve in the reconciler, say) is Stripe being away, not our bug.
        builder.Services.AddDependencyFailure("stripe",
            exception => exception is StripeException && StripeFailures.IsUnavailable(exception, CancellationToken.None));
        builder.Services.AddSingleton<StripeGateway>();
        builder.Services.AddScoped<StripeEventProcessor>();
        builder.Services.AddScoped<PaymentTransitions>();
        builder.Services.AddSingleton<PaymentMetrics>();
        builder.Services.AddScoped<PaymentLimits>();
        builder.Services.AddScoped<PaymentCreation>();
        builder.Services.AddSingleton<RequestTurns>();
        builder.Services.AddScoped<RefundExecution>();
        builder.Services.AddSingleton<PaymentReconciler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PaymentReconciler>());
        // A reservation read is a few milliseconds (a cold task's first, a second): a payment request gives inventory at
        // most 3 s in all, so it still answers within a few seconds when inventory is slow or gone.
        builder.Services.AddServiceClient<InventoryClient, PaymentsOptions>(
            options => options.InventoryUrl, attemptTimeout: TimeSpan.FromSeconds(2), totalTimeout: TimeSpan.FromSeconds(3));
        // Keys must outlive a client's retries (at least 24 hours); event ids must outlive Stripe's (3 days); a decline
        // counts for an hour.
        builder.AddRetention(new RetentionRule<PaymentsDb>("idempotency keys", TimeSpan.FromDays(7),
            (db, cutoff, ct) => db.IdempotencyKeys.Where(k => k.CreatedAt < cutoff).ExecuteDeleteAsync(ct)));
        builder.AddRetention(new RetentionRule<PaymentsDb>("Stripe event ids", TimeSpan.FromDays(30),
            (db, cutoff, ct) => db.StripeEvents.Where(e => e.ReceivedAt < cutoff).ExecuteDeleteAsync(ct)));
        builder.AddRetention(new RetentionRule<PaymentsDb>("payment failures", TimeSpan.FromDays(1),
            (db, cutoff, ct) => db.PaymentFailures.Where(f => f.FailedAt < cutoff).ExecuteDeleteAsync(ct)));
        return builder;
    }
}
