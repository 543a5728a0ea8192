using System.Net.Http.Headers;
using System.Text.Json;
using Customers.Auth;
using Customers.Domain;
using Microsoft.Extensions.Options;

namespace Customers.Privacy;

/// <summary>
/// What inventory and payments hold about a customer, read from each with a token minted for that customer, with the
/// customer role only (an admin's export gets no admin token) and valid for a minute, so each service decides what is
/// the customer's exactly as it does for the customer's own calls.
/// </summary>
public sealed class PersonalDataElsewhere(IHttpClientFactory clients, AccessTokens tokens, IOptions<CustomersOptions> options)
{
    public const string HttpClientName = "personal-data";

    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(1);

    /// <summary>Each service's answer as it gave it; throws while either is unavailable, and the export waits.</summary>
    public async Task<HeldElsewhere> GatherAsync(Customer customer, Guid exportId, CancellationToken cancellationToken)
    {
        var token = await tokens.IssueOnBehalfOfAsync(customer, $"data-export-{exportId}", TokenLifetime, cancellationToken);
        var http = clients.CreateClient(HttpClientName);
        var inventory = ReadAsync(http, options.Value.InventoryUrl, "api/inventory/personal-data", token, cancellationToken);
        var payments = ReadAsync(http, options.Value.PaymentsUrl, "api/payments/personal-data", token, cancellationToken);
        return new HeldElsewhere(await inventory, await payments);
    }

    private static async Task<JsonElement> ReadAsync(HttpClient http, string service, string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(service.TrimEnd('/') + "/"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}

/// <summary>Inventory's and payments' answers about one customer, kept as they were given.</summary>
public sealed record HeldElsewhere(JsonElement Inventory, JsonElement Payments);
