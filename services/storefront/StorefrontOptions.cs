using System.ComponentModel.DataAnnotations;

namespace Storefront;

/// <summary>Where the four APIs are, how long a shopper's session lasts, and how card details reach Stripe.</summary>
public sealed class StorefrontOptions : IValidatableObject
{
    [ConfigurationKeyName("INVENTORY_URL"), Url]
    [Required(ErrorMessage = "INVENTORY_URL is required: inventory's base URL.")]
    public string InventoryUrl { get; set; } = "";

    [ConfigurationKeyName("CUSTOMERS_URL"), Url]
    [Required(ErrorMessage = "CUSTOMERS_URL is required: customers' base URL.")]
    public string CustomersUrl { get; set; } = "";

    [ConfigurationKeyName("PAYMENTS_URL"), Url]
    [Required(ErrorMessage = "PAYMENTS_URL is required: payments' base URL.")]
    public string PaymentsUrl { get; set; } = "";

    [ConfigurationKeyName("LOCATIONS_URL"), Url]
    [Required(ErrorMessage = "LOCATIONS_URL is required: locations' base URL.")]
    public string LocationsUrl { get; set; } = "";

    /// <summary>Seconds a shopper's session lives without a request; as the customers service's sessions (the seed's value).</summary>
    [ConfigurationKeyName("SESSION_TIMEOUT"), Range(60, 86_400)]
    public int SessionTimeoutSeconds { get; set; } = 3600;

    /// <summary>Stripe.js's key for the Payment Element; public by design (<c>pk_live_…</c> or <c>pk_test_…</c>).</summary>
    [ConfigurationKeyName("STRIPE_PUBLISHABLE_KEY"), RegularExpression("^pk_(test|live)_[A-Za-z0-9]+$",
        ErrorMessage = "STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key (pk_test_... or pk_live_...).")]
    public string? StripePublishableKey { get; set; }

    /// <summary>
    /// The local Stripe emulator (<c>tools/StripeEmulator</c>): the payment page offers test cards and confirms the
    /// PaymentIntent through it. Never set in production, where card details go to Stripe.js only.
    /// </summary>
    [ConfigurationKeyName("STRIPE_EMULATOR_URL"), Url(ErrorMessage = "STRIPE_EMULATOR_URL must be an absolute URL.")]
    public string? StripeEmulatorUrl { get; set; }

    /// <summary>The emulator's test secret key (<c>sk_test_…</c>), used only to confirm with a test card.</summary>
    [ConfigurationKeyName("STRIPE_EMULATOR_SECRET_KEY")]
    public string? StripeEmulatorSecretKey { get; set; }

    public bool UsesStripeEmulator => StripeEmulatorUrl is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StripeEmulatorUrl is null && StripePublishableKey is null)
        {
            yield return new ValidationResult(
                "STRIPE_PUBLISHABLE_KEY or STRIPE_EMULATOR_URL is required: Stripe.js's key, or the local Stripe emulator.", [nameof(StripePublishableKey)]);
        }

        if (StripeEmulatorUrl is not null && StripeEmulatorSecretKey?.StartsWith("sk_test_", StringComparison.Ordinal) != true)
        {
            yield return new ValidationResult(
                "STRIPE_EMULATOR_SECRET_KEY must be a test key (sk_test_...) when STRIPE_EMULATOR_URL is set.", [nameof(StripeEmulatorSecretKey)]);
        }
    }
}
