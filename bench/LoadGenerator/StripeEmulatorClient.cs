using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace LoadGenerator;

/// <summary>What <c>PUT /_emulator/faults</c> takes (snake_case; the emulator refuses a field it does not know).</summary>
public sealed record StripeFaults(
    int LatencyMs = 0, int LatencyJitterMs = 0, double ErrorRate = 0, double TimeoutRate = 0, int TimeoutMs = 30_000, double DropWebhookRate = 0);

/// <summary>The Stripe emulator's control endpoints and its PaymentIntents, behind the same <c>sk_test_</c> key as its API.</summary>
public sealed class StripeEmulatorClient(StripeSettings settings) : IDisposable
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly HttpClient _http = new()
    {
        BaseAddress = settings.Url,
        Timeout = TimeSpan.FromMinutes(2),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", settings.SecretKey) },
    };

    public async Task SetFaultsAsync(StripeFaults faults)
    {
        using var response = await _http.PutAsJsonAsync("/_emulator/faults", faults, Snake);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stripe as fast and reliable as the emulator is by default: after a scenario, whatever happened in it.</summary>
    public Task ResetFaultsAsync() => SetFaultsAsync(new StripeFaults());

    /// <summary>How many PaymentIntents the emulator holds for each payment (the <c>payment_id</c> in their metadata).</summary>
    public async Task<Dictionary<string, int>> IntentsPerPaymentAsync()
    {
        var list = await _http.GetFromJsonAsync<JsonElement>("/v1/payment_intents");
        return list.GetProperty("data").EnumerateArray()
            .Select(intent => intent.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("payment_id", out var id) ? id.GetString() : null)
            .OfType<string>()
            .GroupBy(id => id)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    public void Dispose() => _http.Dispose();
}
