using System.Net.Mail;
using Platform.Api;

namespace Customers.Domain;

/// <summary>What an email, a password and a name must be; each check returns the message for the client, or null.</summary>
public static class AccountRules
{
    public const int MinimumPasswordLength = 12;

    // Hashing cost grows with the input; a cap keeps one request from buying seconds of CPU.
    public const int MaximumPasswordLength = 256;

    public const int MaximumEmailLength = 320;

    public const int MaximumNameLength = 200;

    public static string? EmailError(string? email) =>
        email is { Length: > 0 and <= MaximumEmailLength }
        && MailAddress.TryCreate(email.Trim(), out var address)
        && address.Address == email.Trim()
        && address.Host.Contains('.', StringComparison.Ordinal)
            ? null
            : "email must be an address such as name@example.com.";

    public static string? PasswordError(string? password) => password switch
    {
        null or { Length: < MinimumPasswordLength } => $"password must be at least {MinimumPasswordLength} characters.",
        { Length: > MaximumPasswordLength } => $"password must be at most {MaximumPasswordLength} characters.",
        _ => null,
    };

    public static string? NameError(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaximumNameLength
            ? $"name is required, at most {MaximumNameLength} characters."
            : null;

    /// <summary>A registration's errors keyed by field, or null when it is valid.</summary>
    public static ValidationErrors? RegistrationErrors(string? email, string? password, string? name) => new ValidationErrors()
        .Check("email", EmailError(email))
        .Check("password", PasswordError(password))
        .Check("name", NameError(name))
        .NullIfEmpty();

    /// <summary>A profile update's errors keyed by field, or null when it is valid.</summary>
    public static ValidationErrors? ProfileErrors(string? name) => new ValidationErrors().Check("name", NameError(name)).NullIfEmpty();
}
