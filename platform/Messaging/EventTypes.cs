namespace Platform.Messaging;

/// <summary>The event types of the contract (docs/api.md, Events), shared by the services that publish and consume them.</summary>
public static class EventTypes
{
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string PaymentCanceled = "payment.canceled";
    public const string PaymentRefunded = "payment.refunded";
    public const string ReservationCommitFailed = "reservation.commit_failed";
    public const string CustomerErased = "customer.erased";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>([PaymentSucceeded, PaymentFailed, PaymentCanceled, PaymentRefunded, ReservationCommitFailed, CustomerErased]);
}
