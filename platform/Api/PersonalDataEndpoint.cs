using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.Security;

namespace Platform.Api;

public static class PersonalDataEndpoint
{
    /// <summary>
    /// <c>GET {prefix}/personal-data</c>: everything the service holds about the calling customer (GDPR). The customers
    /// service's export reads it with a token minted for that customer; the customer may call it too.
    /// </summary>
    public static RouteHandlerBuilder MapPersonalData(this IEndpointRouteBuilder endpoints, string prefix, Delegate handler) =>
        endpoints.MapGet($"{prefix}/personal-data", handler).WithTags("Personal data").RequireAuthorization(Roles.Customer);
}
