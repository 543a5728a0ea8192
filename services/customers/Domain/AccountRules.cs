using System.Net.Mail;

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

    /// <summary>The errors keyed by field, or null when there are none.</summary>
    public static Dictionary<string, string[]>? Collect(params (string Field, string? Error)[] checks)
    {
        var errors = checks.Where(check => check.Error is not null).ToDictionary(check => check.Field, check => new[] { check.Error! });
        return errors.Count == 0 ? null : errors;
    }
}
