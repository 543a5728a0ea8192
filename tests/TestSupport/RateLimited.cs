using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace TestSupport;

public static class RateLimited
{
    /// <summary>
    /// Asserts the platform's per-customer refusal of a create (<c>RequireCustomerWriteRateLimit</c>): a 429 with one
    /// <c>Retry-After</c> within the hour, whose problem names the variable that sets the limit.
    /// </summary>
    public static async Task AssertCustomerWriteRefusedAsync(HttpResponseMessage refused)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, CultureInfo.InvariantCulture), 1, 3600);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("CUSTOMER_WRITE_RATE_LIMIT", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
