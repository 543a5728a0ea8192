using System.Net;
using System.Net.Http.Headers;

namespace Payments.Inventory;

/// <summary>A reservation as inventory shows it to its owner.</summary>
public sealed record Reservation(Guid Id, Guid CustomerId, string Status, long TotalCents, string Currency);

/// <summary>
/// Reads reservations from inventory with the caller's own token, so inventory decides whose reservation it is
/// (another customer's is 404 there, and so here). Retries and timeouts come from the standard resilience handler.
/// </summary>
public sealed class InventoryClient(HttpClient http)
{
    public async Task<Reservation?> FindReservationAsync(Guid id, string bearerToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/inventory/reservations/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if ((int)response.StatusCode is >= 500 or 408 or 429)
        {
            response.EnsureSuccessStatusCode(); // unavailable: an HttpRequestException, answered 503
        }

        if (!response.IsSuccessStatusCode)
        {
            // Any other refusal of a reservation read with the customer's own token is a bug between the two services.
            throw new InvalidOperationException($"Inventory answered {(int)response.StatusCode} to a read of reservation {id}.");
        }

        return await response.Content.ReadFromJsonAsync<Reservation>(cancellationToken);
    }
}
