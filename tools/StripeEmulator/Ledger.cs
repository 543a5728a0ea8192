using System.Security.Cryptography;

namespace StripeEmulator;

/// <summary>
/// The emulator's account: payment intents, refunds and the events they raise, in memory. One lock keeps every change
/// atomic; the emulator serves tests and a local stack, not throughput.
/// </summary>
public sealed class Ledger(TimeProvider time)
{
    /// <summary>Test payment methods, as Stripe's test mode names them.</summary>
    private static readonly Dictionary<string, PaymentError?> PaymentMethods = new(StringComparer.Ordinal)
    {
        ["pm_card_visa"] = null,
        ["pm_card_mastercard"] = null,
        ["pm_card_chargeDeclined"] = new("card_error", "card_declined", "generic_decline", "Your card was declined."),
        ["pm_card_visa_chargeDeclined"] = new("card_error", "card_declined", "generic_decline", "Your card was declined."),
        ["pm_card_chargeDeclinedInsufficientFunds"] = new("card_error", "card_declined", "insufficient_funds", "Your card has insufficient funds."),
    };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PaymentIntentObject> _intents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _refunded = new(StringComparer.Ordinal);
    private readonly List<EventObject> _events = [];
    private readonly List<RefundObject> _refunds = [];

    public PaymentIntentObject Create(long amount, string currency, Dictionary<string, string> metadata)
    {
        lock (_lock)
        {
            var id = NewId("pi");
            var intent = new PaymentIntentObject(id, amount, currency, "requires_payment_method", $"{id}_secret_{NewId("")[1..]}", metadata, Now());
            _intents[id] = intent;
            return intent;
        }
    }

    public PaymentIntentObject? Find(string id)
    {
        lock (_lock)
        {
            return _intents.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<PaymentIntentObject> All()
    {
        lock (_lock)
        {
            return [.. _intents.Values.OrderByDescending(i => i.Created)];
        }
    }

    public IReadOnlyList<RefundObject> Refunds(string? paymentIntent)
    {
        lock (_lock)
        {
            return [.. _refunds.Where(r => paymentIntent is null || r.PaymentIntent == paymentIntent)];
        }
    }

    public IReadOnlyList<EventObject> Events()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    /// <summary>Charges the payment method: succeeded, or a card error with the intent back to requires_payment_method.</summary>
    public (PaymentIntentObject Intent, StripeError? Error, EventObject? Event) Confirm(string id, string paymentMethod)
    {
        lock (_lock)
        {
            if (!_intents.TryGetValue(id, out var intent))
            {
                return (null!, Missing("payment_intent", id), null);
            }

            if (intent.Status is not ("requires_payment_method" or "requires_confirmation"))
            {
                return (intent, new StripeError("invalid_request_error",
                    $"This PaymentIntent's status is {intent.Status}; it cannot be confirmed.", "payment_intent_unexpected_state"), null);
            }

            if (!PaymentMethods.TryGetValue(paymentMethod, out var decline))
            {
                return (intent, Missing("payment_method", paymentMethod), null);
            }

            if (decline is not null)
            {
                intent = Save(intent with { Status = "requires_payment_method", LastPaymentError = decline });
                var failed = Raise("payment_intent.payment_failed", intent);
                return (intent, new StripeError(decline.Type, decline.Message, decline.Code, DeclineCode: decline.DeclineCode, PaymentIntent: intent), failed);
            }

            intent = Save(intent with { Status = "succeeded", AmountReceived = intent.Amount, LatestCharge = NewId("ch"), LastPaymentError = null });
            return (intent, null, Raise("payment_intent.succeeded", intent));
        }
    }

    public (PaymentIntentObject Intent, StripeError? Error, EventObject? Event) Cancel(string id, string? reason)
    {
        lock (_lock)
        {
            if (!_intents.TryGetValue(id, out var intent))
            {
                return (null!, Missing("payment_intent", id), null);
            }

            if (intent.Status is "succeeded" or "canceled")
            {
                return (intent, new StripeError("invalid_request_error",
                    $"You cannot cancel this PaymentIntent because it has a status of {intent.Status}.", "payment_intent_unexpected_state"), null);
            }

            intent = Save(intent with { Status = "canceled", CancellationReason = reason ?? "requested_by_customer" });
            return (intent, null, Raise("payment_intent.canceled", intent));
        }
    }

    /// <summary>Refunds part or all of what a succeeded intent received, never more than is left.</summary>
    public (RefundObject? Refund, StripeError? Error, EventObject? Event) Refund(string paymentIntentId, long? amount, Dictionary<string, string> metadata)
    {
        lock (_lock)
        {
            if (!_intents.TryGetValue(paymentIntentId, out var intent))
            {
                return (null, Missing("payment_intent", paymentIntentId), null);
            }

            if (intent.Status != "succeeded")
            {
                return (null, new StripeError("invalid_request_error",
                    "This PaymentIntent does not have a successful charge to refund.", "charge_not_refundable"), null);
            }

            var refunded = _refunded.GetValueOrDefault(paymentIntentId);
            var left = intent.AmountReceived - refunded;
            var refund = amount ?? left;
            if (left == 0)
            {
                return (null, new StripeError("invalid_request_error",
                    $"Charge {intent.LatestCharge} has already been refunded.", "charge_already_refunded"), null);
            }

            if (refund <= 0 || refund > left)
            {
                return (null, new StripeError("invalid_request_error",
                    $"Refund amount ({refund}) is greater than unrefunded amount on charge ({left}).", "amount_too_large", "amount"), null);
            }

            _refunded[paymentIntentId] = refunded + refund;
            var charge = new ChargeObject(intent.LatestCharge!, intent.AmountReceived, refunded + refund, intent.Currency, intent.Id,
                refunded + refund == intent.AmountReceived);
            var created = new RefundObject(NewId("re"), refund, intent.Currency, intent.Id, charge.Id, "succeeded", Now(), metadata);
            _refunds.Add(created);
            return (created, null, Raise("charge.refunded", charge));
        }
    }

    private PaymentIntentObject Save(PaymentIntentObject intent) => _intents[intent.Id] = intent;

    private EventObject Raise(string type, object data)
    {
        var created = new EventObject(NewId("evt"), type, Stripe.StripeConfiguration.ApiVersion, Now(), new EventData(data));
        _events.Add(created);
        return created;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private static StripeError Missing(string kind, string id) =>
        new("invalid_request_error", $"No such {kind}: '{id}'", "resource_missing", kind);

    private static string NewId(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
}
