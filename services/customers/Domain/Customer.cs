using Platform.Security;

namespace Customers.Domain;

public sealed class Customer
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Stored as given.</summary>
    public required string Email
    {
        get;
        init
        {
            field = value;
            NormalizedEmail = Normalize(value);
        }
    }

    /// <summary>The email's unique form: accounts are the same regardless of case.</summary>
    public string NormalizedEmail { get; private set; } = "";

    public required string Name { get; set; }

    public string Role { get; set; } = Roles.Customer;

    /// <summary>
    /// Created by the admin bootstrap from <c>ADMIN_EMAIL</c>, not registered by someone: only such an account may the
    /// bootstrap promote or give the <c>ADMIN_PASSWORD</c> (emails are not verified, so anyone may register any address).
    /// </summary>
    public bool CreatedByBootstrap { get; init; }

    /// <summary>ASP.NET Core's <c>PasswordHasher</c> format (PBKDF2 with a per-password salt); never the password.</summary>
    public string PasswordHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();
}
