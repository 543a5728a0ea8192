using Storefront.Clients;

namespace Storefront.Components;

/// <summary>How an order (a reservation and its payments) reads to a shopper.</summary>
public static class OrderStates
{
    public static string Describe(string reservationStatus) => reservationStatus switch
    {
        "pending" => "Awaiting payment",
        "committed" => "Confirmed",
        "released" => "Released",
        _ => reservationStatus,
    };

    public static string DescribePayment(Payment? payment) => payment?.Status switch
    {
        null => "Not paid",
        "succeeded" => "Paid",
        "failed" => "Declined",
        "canceled" => "Cancelled",
        "processing" or "creating" => "Processing",
        "requires_payment_method" or "requires_confirmation" or "requires_action" => "Awaiting card",
        "refunded" => "Refunded",
        "partially_refunded" => "Partly refunded",
        var other => other,
    };
}
