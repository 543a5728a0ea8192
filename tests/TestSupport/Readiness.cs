using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace TestSupport;

public static class Readiness
{
    /// <summary>Asserts <c>/health/ready</c> is 200, the service up, and each named dependency up with a latency.</summary>
    public static async Task AssertUpAsync(HttpClient client, params string[] dependencies)
    {
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("up", report.GetProperty("status").GetString());
        foreach (var dependency in dependencies)
        {
            var check = report.GetProperty("checks").GetProperty(dependency);
            Assert.Equal("up", check.GetProperty("status").GetString());
            Assert.True(check.GetProperty("latencyMs").GetDouble() >= 0);
        }
    }
}
