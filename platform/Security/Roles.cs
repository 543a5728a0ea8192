namespace Platform.Security;

/// <summary>The roles an access token carries in its <c>role</c> claim, and the policies named after them.</summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Admin = "admin";
}
