using Microsoft.Extensions.Options;
using Stripe;

namespace Storefront.Clients;

/// <summary>
/// Against the local Stripe emulator only: confirms a PaymentIntent with one of Stripe's test payment methods, as
/// Stripe.js would in a browser with a card. In production the Payment Element does this and no card reaches us.
/// </summary>
public sealed class TestCards(IOptions<StorefrontOptions> options)
{
    public const string Succeeds = "pm_card_visa";
    public const string Declined = "pm_card_chargeDeclined";

    /// <summary>Confirms; false when the card was declined.</summary>
    public async Task<bool> ConfirmAsync(string paymentIntentId, string paymentMethod, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.StripeEmulatorUrl is null || settings.StripeEmulatorSecretKey is null)
        {
            throw new InvalidOperationException("Test cards are offered only against the Stripe emulator (STRIPE_EMULATOR_URL).");
        }

        if (paymentMethod is not (Succeeds or Declined))
        {
            throw new ArgumentOutOfRangeException(nameof(paymentMethod), "Only Stripe's test payment methods are accepted here.");
        }

        var stripe = new StripeClient(settings.StripeEmulatorSecretKey, apiBase: settings.StripeEmulatorUrl);
        try
        {
            await stripe.V1.PaymentIntents.ConfirmAsync(
                paymentIntentId, new PaymentIntentConfirmOptions { PaymentMethod = paymentMethod }, cancellationToken: cancellationToken);
            return true;
        }
        catch (StripeException declined) when (declined.StripeError?.Code == "card_declined")
        {
            return false;
        }
    }
}
