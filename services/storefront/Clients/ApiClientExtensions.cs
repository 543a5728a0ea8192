using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Platform.Errors;
using Platform.Security;
using Stripe;

namespace Storefront.Clients;

public static class ApiClientExtensions
{
    /// <summary>
    /// One typed client per API, at the base URL its variable gives. Each call carries the shopper's address in
    /// <c>X-Forwarded-For</c> (the APIs count their per-address limits against the shopper, not the storefront) and goes
    /// through the standard resilience handler: reads are retried, a write is never sent twice by it (a payment's retry
    /// is the shopper's, with the same idempotency key).
    /// </summary>
    public static IHostApplicationBuilder AddStorefrontApis(this IHostApplicationBuilder builder)
    {
        Add<InventoryApi>(builder, options => options.InventoryUrl);
        Add<CustomersApi>(builder, options => options.CustomersUrl);
        Add<PaymentsApi>(builder, options => options.PaymentsUrl);
        Add<LocationsApi>(builder, options => options.LocationsUrl);
        builder.Services.AddSingleton<StoreDirectory>();
        // A picture of up to 25 MB goes to S3 once, in at most a minute; no retry handler (its stream is read once).
        builder.Services.AddHttpClient<ImageUploads>(http => http.Timeout = TimeSpan.FromMinutes(1));
        builder.Services.AddSingleton<TestCards>();
        // The Stripe emulator away (a connection failure or a 5xx) is a dependency's outage, not our bug.
        builder.Services.AddDependencyFailure("stripe",
            exception => exception is StripeException { HttpStatusCode: 0 or >= System.Net.HttpStatusCode.InternalServerError });
        return builder;
    }

    private static void Add<TClient>(IHostApplicationBuilder builder, Func<StorefrontOptions, string> baseUrl)
        where TClient : class
    {
        // A page waits at most 5 s for an API, then says "try again shortly".
        builder.Services.AddServiceClient<TClient, StorefrontOptions>(
            baseUrl, attemptTimeout: TimeSpan.FromSeconds(3), totalTimeout: TimeSpan.FromSeconds(5));
    }
}
