using System.ComponentModel.DataAnnotations;

namespace Customers;

public sealed class CustomersOptions
{
    /// <summary>Seconds a session lives without being used; every refresh starts the count again.</summary>
    [ConfigurationKeyName("SESSION_TIMEOUT"), Range(1, 2_592_000)]
    public int SessionTimeoutSeconds { get; set; } = 3600;

    [ConfigurationKeyName("ACCESS_TOKEN_LIFETIME_SECONDS"), Range(60, 3600)]
    public int AccessTokenLifetimeSeconds { get; set; } = 900;

    /// <summary>
    /// Failed logins for one email from one client address within <see cref="LockoutSeconds"/> before that address waits
    /// for the window to end.
    /// </summary>
    [ConfigurationKeyName("LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP"), Range(1, 1000)]
    public int MaxFailuresPerAccountAndClient { get; set; } = 5;

    /// <summary>Failed logins for one email from all addresses within <see cref="LockoutSeconds"/> before each address gets one attempt per window.</summary>
    [ConfigurationKeyName("LOGIN_MAX_FAILURES_PER_ACCOUNT"), Range(1, 1_000_000)]
    public int MaxFailuresPerAccount { get; set; } = 100;

    /// <summary>Failed logins from one client address within <see cref="LockoutSeconds"/>, whatever the email, before it waits.</summary>
    [ConfigurationKeyName("LOGIN_MAX_FAILURES_PER_IP"), Range(1, 100_000)]
    public int MaxFailuresPerClient { get; set; } = 50;

    /// <summary>The window failures are counted in, which is also the longest an address waits.</summary>
    [ConfigurationKeyName("LOGIN_LOCKOUT_SECONDS"), Range(1, 86_400)]
    public int LockoutSeconds { get; set; } = 900;

    [ConfigurationKeyName("DOCUMENTS_BUCKET"), Required(ErrorMessage = "DOCUMENTS_BUCKET is required.")]
    public string DocumentsBucket { get; set; } = "";

    /// <summary>Where inventory answers, for the reservations a data export includes: through Service Connect on AWS.</summary>
    [ConfigurationKeyName("INVENTORY_URL")]
    [Required(ErrorMessage = "INVENTORY_URL is required: inventory's base URL."), Url]
    public string InventoryUrl { get; set; } = "";

    /// <summary>Where payments answers, for the payments a data export includes: through Service Connect on AWS.</summary>
    [ConfigurationKeyName("PAYMENTS_URL"), Required(ErrorMessage = "PAYMENTS_URL is required: payments' base URL."), Url]
    public string PaymentsUrl { get; set; } = "";

    /// <summary><c>customer.erased</c> goes to inventory's queue (required by <c>AddSqsQueue</c>).</summary>
    [ConfigurationKeyName("INVENTORY_QUEUE")]
    public string InventoryQueue { get; set; } = "";

    /// <summary><c>customer.erased</c> goes to payments' queue too (required by <c>AddSqsQueue</c>).</summary>
    [ConfigurationKeyName("PAYMENTS_QUEUE")]
    public string PaymentsQueue { get; set; } = "";

    /// <summary>When set, start-up ensures an admin account with this email and <c>ADMIN_PASSWORD</c>/<c>ADMIN_PASSWORD_ARN</c>.</summary>
    [ConfigurationKeyName("ADMIN_EMAIL"), EmailAddress(ErrorMessage = "ADMIN_EMAIL must be an email address.")]
    public string? AdminEmail { get; set; }

    public TimeSpan SessionTimeout => TimeSpan.FromSeconds(SessionTimeoutSeconds);

    public TimeSpan AccessTokenLifetime => TimeSpan.FromSeconds(AccessTokenLifetimeSeconds);

    public TimeSpan Lockout => TimeSpan.FromSeconds(LockoutSeconds);
}
