namespace Storefront.Clients;

/// <summary>payments: a payment for a reservation (with the storefront's idempotency key) and the shopper's payments.</summary>
public sealed class PaymentsApi(HttpClient http)
{
    public const string Name = "payments";

    /// <summary>
    /// Creates the payment, or answers the one already created with this <paramref name="idempotencyKey"/>: the key is
    /// made once per checkout attempt, so a retried or doubled click never charges twice.
    /// </summary>
    public Task<CreatedPayment> PayAsync(Guid reservationId, string idempotencyKey, string accessToken, CancellationToken cancellationToken)
    {
        var request = ApiCalls.Request(HttpMethod.Post, "api/payments/", accessToken, new { reservationId });
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return ApiCalls.SendAsync<CreatedPayment>(http, Name, request, cancellationToken);
    }

    public async Task<IReadOnlyList<Payment>> ForReservationAsync(Guid reservationId, string accessToken, CancellationToken cancellationToken)
    {
        var page = await ApiCalls.SendAsync<PageOf<Payment>>(
            http, Name, ApiCalls.Request(HttpMethod.Get, $"api/payments/?reservationId={reservationId}", accessToken), cancellationToken);
        return page.Items;
    }
}
