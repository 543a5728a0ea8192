using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Npgsql;
using Polly;

namespace LoadGenerator;

/// <summary>A customer's access token, and (for a create) the pending reservation of theirs it pays.</summary>
public sealed record Payer(string Token, Guid ReservationId);

/// <summary>
/// The customers who pay. Payments refuses a customer's sixth open payment in an hour (MAX_OPEN_PAYMENTS_PER_CUSTOMER,
/// against card testing), so the benchmark's payments are spread over many customers the way real traffic is: each
/// customer logs in once and pays at most <see cref="PaymentsPerCustomer"/> times, and consecutive payments come from
/// different customers. Each run starts with payments' database empty, so every bench customer can pay.
/// </summary>
public sealed class Payers : IDisposable
{
    /// <summary>Under MAX_OPEN_PAYMENTS_PER_CUSTOMER's default of 5: the limits stay as production has them.</summary>
    public const int PaymentsPerCustomer = 4;

    private const int Parallelism = 8;

    // A login refused for a moment (a 503 with Retry-After while the stack is loaded by the scenario before) is tried
    // again after Retry-After, rather than ending the benchmark.
    private static readonly ResiliencePipeline<HttpResponseMessage> LoginRetry =
        new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 5 }).Build();
    private readonly ConcurrentQueue<string> _emails;
    private readonly BenchData _data;
    private readonly HttpClient _customers;
    private readonly HttpClient _inventory;

    private Payers(BenchSettings settings, BenchData data, IEnumerable<string> emails)
    {
        _data = data;
        _emails = new ConcurrentQueue<string>(emails);
        _customers = new HttpClient(new ResilienceHandler(LoginRetry) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = settings.Urls["customers"] };
        _inventory = LoadRunner.Client(settings.Urls["inventory"], null);
    }

    public static async Task<Payers> LoadAsync(BenchSettings settings, BenchData data)
    {
        var emails = new List<string>();
        await using var customers = NpgsqlDataSource.Create(settings.Database("customers"));
        await using var command = customers.CreateCommand(
            "SELECT email FROM customers WHERE email LIKE 'bench-%@bench.mycomputer.local' AND email <> @first ORDER BY email");
        command.Parameters.AddWithValue("first", data.CustomerEmail);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            emails.Add(reader.GetString(0));
        }

        return new Payers(settings, data, emails);
    }

    /// <summary>The customers not yet logged in to pay.</summary>
    public int Available => _emails.Count;

    /// <summary>Tokens for <paramref name="payments"/> payments: fresh customers, each at most <see cref="PaymentsPerCustomer"/> times, interleaved.</summary>
    public async Task<List<string>> TokensAsync(int payments)
    {
        var tokens = await LogInAsync((payments + PaymentsPerCustomer - 1) / PaymentsPerCustomer);
        return Enumerable.Range(0, payments).Select(i => tokens[i % tokens.Length]).ToList();
    }

    /// <summary>An access token each for <paramref name="customers"/> customers not yet logged in.</summary>
    public async Task<string[]> LogInAsync(int customers)
    {
        var tokens = new string[customers];
        await Parallel.ForAsync(0, customers, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
        {
            if (!_emails.TryDequeue(out var email))
            {
                throw new InvalidOperationException("every bench customer has paid in this run: the payments scenarios need more customers");
            }

            using var response = await _customers.PostAsJsonAsync("/api/customers/login", new { email, password = BenchData.Password }, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString()!;
        });
        return tokens;
    }

    /// <summary><paramref name="count"/> payers, each with a pending reservation of their own, made now.</summary>
    public async Task<ConcurrentQueue<Payer>> ReserveAsync(int count)
    {
        var tokens = await TokensAsync(count);
        var payers = new Payer[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            payers[i] = new Payer(tokens[i], await ReserveAsync(_inventory, _data, tokens[i], ct)
                ?? throw new InvalidOperationException("a reservation for the payment scenarios failed")));
        return new ConcurrentQueue<Payer>(payers);
    }

    /// <summary>A pending reservation of one unit of a bench product, for the customer <paramref name="token"/> names.</summary>
    public static async Task<Guid?> ReserveAsync(HttpClient inventory, BenchData data, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/inventory/reservations")
        {
            Content = JsonContent.Create(new
            {
                locationId = data.StockLocations[Random.Shared.Next(data.StockLocations.Count)],
                items = new[] { new { productId = data.Products[Random.Shared.Next(data.Products.Count)], quantity = 1 } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await inventory.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.Created
            ? (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid()
            : null;
    }

    /// <summary>A create for <paramref name="payer"/>'s reservation with <paramref name="key"/> (a fresh key is a new payment).</summary>
    public static HttpRequestMessage CreatePayment(Payer payer, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/") { Content = JsonContent.Create(new { reservationId = payer.ReservationId }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", payer.Token);
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    public void Dispose()
    {
        _customers.Dispose();
        _inventory.Dispose();
    }
}
