using Platform.Security;

namespace Customers.Domain;

public sealed class Customer
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Stored as given.</summary>
    public required string Email
    {
        get;
        set
        {
            field = value;
            NormalizedEmail = value.Trim().ToUpperInvariant();
        }
    }

    /// <summary>The email's unique form: accounts are the same regardless of case.</summary>
    public string NormalizedEmail { get; private set; } = "";

    public required string Name { get; set; }

    public string Role { get; set; } = Roles.Customer;

    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
