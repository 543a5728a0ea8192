using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Faults.Tests;

/// <summary>A customer of the shop, through the load balancer: their token, the requests the load sends, a checkout's steps.</summary>
public sealed class Shop
{
    private readonly Stack _stack;

    private Shop(Stack stack, string token, Guid store, Guid product, Guid location)
    {
        _stack = stack;
        Token = token;
        Store = store;
        Product = product;
        Location = location;
    }

    public string Token { get; }

    /// <summary>A store the read load asks for.</summary>
    public Guid Store { get; }

    /// <summary>A product the read load asks about, and the store where single units of it are reserved.</summary>
    public Guid Product { get; }

    public Guid Location { get; }

    public static async Task<Shop> OpenAsync(Stack stack)
    {
        using var http = new HttpClient { BaseAddress = stack.LoadBalancer };
        var email = $"faults-{Guid.NewGuid():N}@example.com";
        const string password = "an operator's worst day";
        (await http.PostAsJsonAsync("/api/customers/register", new { email, password, name = "Margaret Hamilton" })).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync("/api/customers/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var (product, location) = (await StockedAsync(stack, 1, 20))[0];
        await using var locations = new NpgsqlConnection(stack.Database + ";Database=locations");
        await locations.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM stores ORDER BY name LIMIT 1", locations);
        var store = (Guid)(await command.ExecuteScalarAsync())!;
        return new Shop(stack, token, store, product, location);
    }

    /// <summary>
    /// Stock rows with plenty available, in a fixed order, skipping the first <paramref name="skip"/>: each scenario
    /// takes its own, so one's late events do not disturb another's stock arithmetic.
    /// </summary>
    public static async Task<List<(Guid Product, Guid Location)>> StockedAsync(Stack stack, int count, int skip)
    {
        await using var inventory = new NpgsqlConnection(stack.Database + ";Database=inventory");
        await inventory.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT product_id, location_id FROM stock WHERE on_hand - reserved >= 8 ORDER BY product_id, location_id OFFSET @skip LIMIT @count", inventory);
        command.Parameters.AddWithValue("skip", skip);
        command.Parameters.AddWithValue("count", count);
        var rows = new List<(Guid, Guid)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(((Guid)reader["product_id"], (Guid)reader["location_id"]));
        }

        return rows;
    }

    /// <summary>Reads and writes across the four services, each needing PostgreSQL (and some Redis or a cache).</summary>
    public IReadOnlyList<Probe> EveryService() =>
    [
        new("GET /api/inventory/products (catalogue, cached)", (http, ct) => http.GetAsync("/api/inventory/products?pageSize=20", ct)),
        new("GET /api/inventory/products/{id}/stock", (http, ct) => http.GetAsync($"/api/inventory/products/{Product}/stock", ct)),
        new("GET /api/customers/me", (http, ct) => http.SendAsync(Authorized(HttpMethod.Get, "/api/customers/me"), ct)),
        new("PATCH /api/customers/me", (http, ct) => http.SendAsync(Authorized(HttpMethod.Patch, "/api/customers/me", new { name = "Margaret Hamilton" }), ct)),
        new("GET /api/payments/ (the customer's list)", (http, ct) => http.SendAsync(Authorized(HttpMethod.Get, "/api/payments/"), ct)),
        new("GET /api/locations/{id}", (http, ct) => http.GetAsync($"/api/locations/{Store}", ct)),
        new("GET /api/locations/nearby", (http, ct) => http.GetAsync("/api/locations/nearby?lat=52.37&lon=4.89&radiusKm=50", ct)),
    ];

    /// <summary>
    /// Reserve one unit, pay for it, release the reservation: the payment's answer is what counts (an outage of
    /// inventory or Stripe shows there). A failed reservation answers for the probe instead.
    /// </summary>
    public Probe PaymentCreation(string name = "POST /api/payments/ (create, after a reservation)") =>
        new(name, async (http, ct) =>
        {
            var reserved = await ReserveAsync(http, Product, Location, ct);
            if (reserved.StatusCode != HttpStatusCode.Created)
            {
                return reserved;
            }

            var reservation = (await reserved.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            reserved.Dispose();
            var paid = await PayAsync(http, reservation, ct);
            (await http.SendAsync(Authorized(HttpMethod.Post, $"/api/inventory/reservations/{reservation}/release"), ct)).Dispose();
            return paid;
        });

    public Task<HttpResponseMessage> ReserveAsync(HttpClient http, Guid product, Guid location, CancellationToken cancellationToken) =>
        http.SendAsync(Authorized(HttpMethod.Post, "/api/inventory/reservations",
            new { locationId = location, items = new[] { new { productId = product, quantity = 1 } } }), cancellationToken);

    public Task<HttpResponseMessage> PayAsync(HttpClient http, Guid reservation, CancellationToken cancellationToken)
    {
        var request = Authorized(HttpMethod.Post, "/api/payments/", new { reservationId = reservation });
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return http.SendAsync(request, cancellationToken);
    }

    /// <summary>The customer's part at the Stripe emulator: confirm with a card that succeeds; it then sends the webhook.</summary>
    public async Task<HttpStatusCode> ConfirmAsync(HttpClient http, string intent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.StripeUrl, $"/v1/payment_intents/{intent}/confirm"))
        {
            Content = new FormUrlEncodedContent([new("payment_method", "pm_card_visa")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _stack.StripeKey);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>The PaymentIntent's status at the Stripe emulator.</summary>
    public async Task<string> IntentStatusAsync(HttpClient http, string intent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.StripeUrl, $"/v1/payment_intents/{intent}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _stack.StripeKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("status").GetString()!;
    }

    public HttpRequestMessage Authorized(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return request;
    }
}
