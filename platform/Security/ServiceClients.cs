using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Platform.Security;

public static class ServiceClients
{
    /// <summary>
    /// A typed client for another of our services: its base URL from <typeparamref name="TOptions"/>, the customer's
    /// address passed on (<see cref="ClientAddressForwarding"/>), and the standard resilience handler held to the
    /// caller's budget. A failed read is tried again after 100 ms; a write never is, since the service may have done it.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient, TOptions>(
        this IServiceCollection services, Func<TOptions, string> baseUrl, TimeSpan attemptTimeout, TimeSpan totalTimeout)
        where TClient : class
        where TOptions : class
    {
        var client = services.AddHttpClient<TClient>((provider, http) =>
            http.BaseAddress = new Uri(baseUrl(provider.GetRequiredService<IOptions<TOptions>>().Value).TrimEnd('/') + "/"));
        client.ForwardClientAddress().AddStandardResilienceHandler(resilience =>
        {
            resilience.AttemptTimeout.Timeout = attemptTimeout;
            resilience.TotalRequestTimeout.Timeout = totalTimeout;
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
            resilience.Retry.DisableForUnsafeHttpMethods();
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        });
        return client;
    }
}
