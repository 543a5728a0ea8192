using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Security;

public static class ClientAddressForwarding
{
    /// <summary>
    /// For a client that calls another of our services on behalf of the request being served: each call carries the
    /// customer's address in <c>X-Forwarded-For</c>, so the service called counts it against that customer's per-address
    /// limit (it trusts the header from <c>TRUSTED_PROXY_NETWORKS</c>) instead of putting every customer's calls in the
    /// one bucket of the calling task's address. Not for calls that leave our network (Stripe): they get no address.
    /// </summary>
    public static IHttpClientBuilder ForwardClientAddress(this IHttpClientBuilder client)
    {
        client.Services.AddHttpContextAccessor();
        return client.AddHttpMessageHandler(services => new ClientAddressHandler(services.GetRequiredService<IHttpContextAccessor>()));
    }

    private sealed class ClientAddressHandler(IHttpContextAccessor requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (requests.HttpContext?.Connection.RemoteIpAddress is { } client)
            {
                request.Headers.Remove("X-Forwarded-For");
                request.Headers.Add("X-Forwarded-For", client.ToString());
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
