using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace Storefront.Tests;

/// <summary>
/// The storefront on the test server, with its own key prefix in the Redis that <c>./dev test</c> started, and the four
/// APIs replaced by <see cref="FakeApis"/>. Every request comes from <see cref="ShopperAddress"/>, as a browser's would.
/// </summary>
public sealed class StorefrontFactory : WebApplicationFactory<Program>
{
    public static readonly IPAddress ShopperAddress = IPAddress.Parse("203.0.113.7");

    public FakeApis Apis { get; } = new();

    /// <summary>The fraction of new traces sampled (<c>OTEL_TRACES_SAMPLER_ARG</c>), when a test sets it before the first request.</summary>
    public string? TracesSampled { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["REDIS_URL"] = TestEnvironment.Require("REDIS_URL"),
            ["REDIS_KEY_PREFIX"] = $"storefront-test-{Guid.NewGuid():N}:",
            ["AWS_REGION"] = "eu-west-1",
            ["JWT_JWKS_URL"] = "http://customers.test/api/customers/.well-known/jwks.json",
            ["INVENTORY_URL"] = "http://inventory.test/",
            ["CUSTOMERS_URL"] = "http://customers.test/",
            ["PAYMENTS_URL"] = "http://payments.test/",
            ["LOCATIONS_URL"] = "http://locations.test/",
            ["STRIPE_PUBLISHABLE_KEY"] = "pk_test_storefront",
            ["DRAIN_DELAY_SECONDS"] = "0", // a test server stops at once
        })
        {
            builder.UseSetting(name, value);
        }

        if (TracesSampled is not null)
        {
            builder.UseSetting("OTEL_TRACES_SAMPLER_ARG", TracesSampled);
        }

        builder.ConfigureTestServices(services =>
        {
            services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => Apis));
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ShopperAddressFilter>();
        });
    }

    /// <summary>A browser: cookies kept, redirects not followed, over https (the session cookie is Secure).</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        BaseAddress = new Uri("https://shop.test/"),
        HandleCookies = true,
    });

    private sealed class ShopperAddressFilter : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = ShopperAddress;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
