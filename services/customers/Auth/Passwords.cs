using Customers.Domain;
using Microsoft.AspNetCore.Identity;

namespace Customers.Auth;

/// <summary>
/// ASP.NET Core's <see cref="PasswordHasher{TUser}"/>, plus a decoy: for an email with no account the password is still
/// checked against a hash, so the answer takes as long as for a wrong password and reveals nothing.
/// </summary>
public sealed class Passwords(IPasswordHasher<Customer> hasher)
{
    private static readonly Customer Nobody = new() { Email = "nobody@example.invalid", Name = "nobody" };

    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));

    public void SetPassword(Customer customer, string password) => customer.PasswordHash = hasher.HashPassword(customer, password);

    /// <summary>True when <paramref name="customer"/> exists and <paramref name="password"/> is theirs; re-hashes an outdated hash.</summary>
    public bool Verify(Customer? customer, string password)
    {
        if (customer is null)
        {
            hasher.VerifyHashedPassword(Nobody, _decoyHash.Value, password);
            return false;
        }

        switch (hasher.VerifyHashedPassword(customer, customer.PasswordHash, password))
        {
            case PasswordVerificationResult.SuccessRehashNeeded:
                SetPassword(customer, password);
                return true;
            case PasswordVerificationResult.Success:
                return true;
            default:
                return false;
        }
    }
}
