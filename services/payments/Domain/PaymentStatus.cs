namespace Payments.Domain;

/// <summary>
/// A payment's status: <c>creating</c> (claimed, the PaymentIntent not yet recorded), Stripe's PaymentIntent statuses,
/// plus <c>failed</c> (the last attempt was declined; the customer may try again), <c>partially_refunded</c> and
/// <c>refunded</c> (all of it given back). Stripe may deliver events late and out of order, so a payment only moves
/// forward: once succeeded, canceled or refunded, no PaymentIntent event changes it.
/// </summary>
public static class PaymentStatus
{
    public const string Creating = "creating";
    public const string RequiresPaymentMethod = "requires_payment_method";
    public const string Processing = "processing";
    public const string Failed = "failed";
    public const string Succeeded = "succeeded";
    public const string Canceled = "canceled";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Refunded = "refunded";

    /// <summary>The statuses of a PaymentIntent the customer may still confirm: what card testing would pile up.</summary>
    public static readonly string[] Open = [Creating, RequiresPaymentMethod, Processing, Failed];

    public static bool IsSettled(string status) => status is Succeeded or Canceled or PartiallyRefunded or Refunded;

    /// <summary>Whether money was captured, so some of it may be refunded.</summary>
    public static bool IsCaptured(string status) => status is Succeeded or PartiallyRefunded or Refunded;

    /// <summary>Whether a PaymentIntent event may move a payment from <paramref name="current"/> to <paramref name="next"/>.</summary>
    public static bool CanMove(string current, string next) => !IsSettled(current) && current != next;

    /// <summary>
    /// Ours for a PaymentIntent's status as Stripe reports it (retrieved, or in an event): a declined attempt leaves the
    /// intent in <c>requires_payment_method</c> with its last error, which is <see cref="Failed"/> here.
    /// </summary>
    public static string FromIntent(string intentStatus, bool hasPaymentError) => intentStatus switch
    {
        "succeeded" => Succeeded,
        "canceled" => Canceled,
        "processing" => Processing,
        "requires_payment_method" when hasPaymentError => Failed,
        _ => RequiresPaymentMethod,
    };
}
