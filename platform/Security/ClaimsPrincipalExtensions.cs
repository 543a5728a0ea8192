using System.Security.Claims;

namespace Platform.Security;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The customer id in the token's <c>sub</c> claim (an authenticated request always has one).</summary>
    public static Guid CustomerId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : Guid.Empty;
}
