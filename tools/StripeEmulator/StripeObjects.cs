using System.Text.Json.Serialization;

namespace StripeEmulator;

/// <summary>The few Stripe objects the emulator keeps, in Stripe's JSON shape (snake_case on the wire).</summary>
public sealed record PaymentIntentObject(
    string Id, long Amount, string Currency, string Status, string ClientSecret, Dictionary<string, string> Metadata, long Created,
    long AmountReceived = 0, string? LatestCharge = null, PaymentError? LastPaymentError = null, string? CancellationReason = null)
{
    [JsonPropertyName("object")]
    public string Kind => "payment_intent";

    public bool Livemode => false;
}

public sealed record PaymentError(string Type, string Code, string? DeclineCode, string Message);

public sealed record ChargeObject(string Id, long Amount, long AmountRefunded, string Currency, string PaymentIntent, bool Refunded)
{
    [JsonPropertyName("object")]
    public string Kind => "charge";
}

public sealed record RefundObject(
    string Id, long Amount, string Currency, string PaymentIntent, string Charge, string Status, long Created, Dictionary<string, string> Metadata)
{
    [JsonPropertyName("object")]
    public string Kind => "refund";
}

public sealed record EventObject(string Id, string Type, string ApiVersion, long Created, EventData Data)
{
    [JsonPropertyName("object")]
    public string Kind => "event";

    public bool Livemode => false;

    public int PendingWebhooks => 1;
}

public sealed record EventData([property: JsonPropertyName("object")] object Content);

public sealed record ListObject<T>(IReadOnlyList<T> Data, string Url)
{
    [JsonPropertyName("object")]
    public string Kind => "list";

    public bool HasMore => false;
}

public sealed record SearchResultObject<T>(IReadOnlyList<T> Data, bool HasMore, string? NextPage, string Url)
{
    [JsonPropertyName("object")]
    public string Kind => "search_result";
}

public sealed record StripeError(
    string Type, string Message, string? Code = null, string? Param = null, string? DeclineCode = null, PaymentIntentObject? PaymentIntent = null);

public sealed record ErrorBody(StripeError Error);
