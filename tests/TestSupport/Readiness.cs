using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Hosting;
using Xunit;

namespace TestSupport;

public static class Readiness
{
    /// <summary>
    /// Asserts <c>/health/ready</c> comes to 200, the service up, and each named dependency up with a latency. A service
    /// just started may answer 503 at first: its first check of a dependency (a cold client on a loaded machine) can take
    /// longer than <c>READINESS_TIMEOUT_MS</c>, which is that budget doing its job.
    /// </summary>
    public static async Task AssertUpAsync(HttpClient client, params string[] dependencies)
    {
        HttpResponseMessage response = null!;
        await Eventually.HoldsAsync(async () =>
        {
            response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }, "/health/ready answering 200");

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("up", report.GetProperty("status").GetString());
        foreach (var dependency in dependencies)
        {
            var check = report.GetProperty("checks").GetProperty(dependency);
            Assert.Equal("up", check.GetProperty("status").GetString());
            // Measured, and within the budget each check has (past it the check would have said down).
            Assert.InRange(check.GetProperty("latencyMs").GetDouble(), 0, new PlatformOptions().ReadinessTimeoutMilliseconds);
        }
    }
}
