using System.ComponentModel.DataAnnotations;

namespace Payments;

public sealed class PaymentsOptions
{
    /// <summary>Stripe's API; locally the emulator (tools/StripeEmulator).</summary>
    [ConfigurationKeyName("STRIPE_API_BASE"), Url(ErrorMessage = "STRIPE_API_BASE must be an absolute URL.")]
    public string StripeApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>
    /// How long one attempt at a Stripe call may take before it is given up: Stripe answers in hundreds of
    /// milliseconds, so this bounds a slow Stripe, not a normal one. A request that needs Stripe answers within about
    /// this, or leaves the payment for a retry or the reconciler.
    /// </summary>
    [ConfigurationKeyName("STRIPE_TIMEOUT_SECONDS"), Range(1, 60)]
    public int StripeTimeoutSeconds { get; set; } = 2;

    /// <summary>
    /// Stripe.net's own retries of a call that failed on the network or with 409/429/5xx (same idempotency key). None by
    /// default: a failed create answers 503 within the attempt's time, and the client's retry with its key resumes it.
    /// </summary>
    [ConfigurationKeyName("STRIPE_MAX_NETWORK_RETRIES"), Range(0, 5)]
    public int StripeMaxNetworkRetries { get; set; }

    /// <summary>Where inventory answers, for reading a reservation: through Service Connect on AWS.</summary>
    [ConfigurationKeyName("INVENTORY_URL")]
    [Required(ErrorMessage = "INVENTORY_URL is required: inventory's base URL."), Url]
    public string InventoryUrl { get; set; } = "";

    /// <summary>Payment events go to inventory's queue (required by <c>AddSqsQueue</c>).</summary>
    [ConfigurationKeyName("INVENTORY_QUEUE")]
    public string InventoryQueue { get; set; } = "";

    /// <summary>Card testing: PaymentIntents a customer may have open (not paid, not canceled) from the last hour.</summary>
    [ConfigurationKeyName("MAX_OPEN_PAYMENTS_PER_CUSTOMER"), Range(1, 1_000_000)]
    public int MaxOpenPaymentsPerCustomer { get; set; } = 5;

    /// <summary>Card testing: declined attempts a customer may have in an hour before new payments are refused.</summary>
    [ConfigurationKeyName("MAX_FAILED_PAYMENTS_PER_HOUR"), Range(1, 1_000_000)]
    public int MaxFailedPaymentsPerHour { get; set; } = 5;

    /// <summary>How long a payment or refund may stay between two phases before the reconciler finishes it.</summary>
    [ConfigurationKeyName("PAYMENT_RECONCILE_AFTER_SECONDS"), Range(1, 86_400)]
    public int ReconcileAfterSeconds { get; set; } = 60;

    /// <summary>How long after its PaymentIntent was made a payment waits for a webhook before the reconciler asks Stripe.</summary>
    [ConfigurationKeyName("PAYMENT_WEBHOOK_WAIT_SECONDS"), Range(1, 86_400)]
    public int WebhookWaitSeconds { get; set; } = 300;

    /// <summary>How often the reconciler looks for payments and refunds to settle.</summary>
    [ConfigurationKeyName("PAYMENT_RECONCILE_INTERVAL_SECONDS"), Range(1, 3_600)]
    public int ReconcileIntervalSeconds { get; set; } = 10;
}
