using System.ComponentModel.DataAnnotations;

namespace Payments;

public sealed class PaymentsOptions
{
    /// <summary>Stripe's API; locally the emulator (tools/StripeEmulator).</summary>
    [ConfigurationKeyName("STRIPE_API_BASE"), Url(ErrorMessage = "STRIPE_API_BASE must be an absolute URL.")]
    public string StripeApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>Where inventory answers, for reading a reservation: the internal load balancer on AWS.</summary>
    [ConfigurationKeyName("INVENTORY_URL"), Required(ErrorMessage = "INVENTORY_URL is required: inventory's base URL (for example http://internal-alb/)."), Url]
    public string InventoryUrl { get; set; } = "";

    /// <summary>Payment events go to inventory's queue (required by <c>AddSqsQueue</c>).</summary>
    [ConfigurationKeyName("INVENTORY_QUEUE")]
    public string InventoryQueue { get; set; } = "";
}
