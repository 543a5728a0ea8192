using System.Net;

namespace Storefront.Clients;

/// <summary>An API refused a request for a reason the shopper can act on (400, 409, 422, 429): its problem's title and detail.</summary>
public sealed class ApiProblemException(HttpStatusCode status, string title, string? detail)
    : Exception($"{(int)status} {title}")
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>What a page shows: the detail when the API gave one, else the title.</summary>
    public string ShopperMessage => string.IsNullOrWhiteSpace(Detail) ? Title : Detail;
}

/// <summary>The shopper's session is missing, expired or revoked: the page sends them to sign in.</summary>
public sealed class ShopperUnauthorizedException(string message) : Exception(message);

/// <summary>The thing asked for does not exist, or belongs to another shopper (the APIs answer 404 for both).</summary>
public sealed class ApiNotFoundException(string message) : Exception(message);
