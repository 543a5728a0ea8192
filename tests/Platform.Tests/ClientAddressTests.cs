using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Security;

namespace Platform.Tests;

/// <summary>
/// Whose address a request counts under: <c>X-Forwarded-For</c> is believed only from <c>TRUSTED_PROXY_NETWORKS</c> (the
/// load balancer, the services), and a service calling another for a customer passes the customer's address on.
/// </summary>
public sealed class ClientAddressTests
{
    private const string Customer = "198.51.100.7";

    [Theory]
    [InlineData("203.0.113.9", Customer, "203.0.113.9")] // from outside: its own header is not believed
    [InlineData("10.0.1.5", "192.0.2.1, " + Customer, Customer)] // the load balancer appended the customer to a forged entry
    [InlineData("10.0.1.5", Customer + ", 10.0.3.8", Customer)] // through a service, then the load balancer
    [InlineData("10.0.3.8", Customer, Customer)] // a service calling for a customer
    [InlineData("127.0.0.1", Customer, "127.0.0.1")] // loopback is trusted only when listed
    [InlineData("10.0.1.5", "not an address", "10.0.1.5")] // a header that is not an address changes nothing
    [InlineData("10.0.1.5", "999.1.1.1, " + Customer, Customer)] // nor does a bad entry before the hop that was appended
    public async Task A_forwarded_address_is_believed_only_from_a_trusted_network(string peer, string forwardedFor, string counted)
    {
        await using var app = await PlatformTestApp.StartAsync(new() { ["TRUSTED_PROXY_NETWORKS"] = "10.0.0.0/16" });
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        var options = app.App.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>();

        await new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance, options).Invoke(context);

        Assert.Equal(IPAddress.Parse(counted), context.Connection.RemoteIpAddress);
    }

    [Fact]
    public async Task A_service_call_made_for_a_customer_counts_against_that_customers_address_not_the_calling_tasks()
    {
        await using var app = await PlatformTestApp.StartAsync(
            new() { ["RATE_LIMIT_REQUESTS"] = "4" },
            builder => builder.Services.AddHttpClient("service").ForwardClientAddress(),
            app =>
            {
                app.MapGet("/address", (HttpContext context) => TypedResults.Ok(context.Connection.RemoteIpAddress!.ToString()));
                app.MapGet("/for-customer", async (IHttpClientFactory clients, HttpContext context) =>
                {
                    using var response = await clients.CreateClient("service").GetAsync(new Uri($"http://{context.Request.Host}/address"));
                    return TypedResults.Text($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                });
            });

        async Task<string> ForAsync(string customer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/for-customer");
            request.Headers.Add("X-Forwarded-For", customer); // as the local load balancer would
            using var response = await app.Client.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : $"{(int)response.StatusCode}";
        }

        Assert.Equal($"200 \"{Customer}\"", await ForAsync(Customer)); // the service called saw the customer
        Assert.Equal($"200 \"{Customer}\"", await ForAsync(Customer)); // four counted for the customer: two calls, two made for them
        Assert.Equal("429", await ForAsync(Customer)); // refused at the edge
        Assert.Equal("200 \"192.0.2.44\"", await ForAsync("192.0.2.44")); // another customer has a bucket of their own
    }
}
