using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task API4_past_the_limit_a_client_gets_429_with_retry_after_and_health_stays_reachable()
    {
        await using var app = await PlatformTestApp.StartAsync(new() { ["RATE_LIMIT_REQUESTS"] = "3", ["RATE_LIMIT_WINDOW_SECONDS"] = "60" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(new Uri("/slow?milliseconds=0", UriKind.Relative))).StatusCode);
        }

        var limited = await app.Client.GetAsync(new Uri("/slow?milliseconds=0", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // The load balancer's health checks are never limited.
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Clients_are_limited_by_the_address_the_load_balancer_forwards()
    {
        await using var app = await PlatformTestApp.StartAsync(new() { ["RATE_LIMIT_REQUESTS"] = "1", ["RATE_LIMIT_WINDOW_SECONDS"] = "60" });

        var first = await SendFromAsync(app, "203.0.113.10");
        var again = await SendFromAsync(app, "203.0.113.10");
        var other = await SendFromAsync(app, "203.0.113.20");

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.TooManyRequests, again);
        Assert.Equal(HttpStatusCode.OK, other);
    }

    [Fact]
    public async Task API4_a_flood_of_requests_with_bad_tokens_is_limited_like_any_other()
    {
        await using var app = await PlatformTestApp.StartAsync(
            new() { ["RATE_LIMIT_REQUESTS"] = "3", ["RATE_LIMIT_WINDOW_SECONDS"] = "60" },
            TrustedKeys.Only(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256))));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/secure");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"guessed.token.{i}");
            answers.Add((await app.Client.SendAsync(request)).StatusCode);
        }

        // Counted before authentication: three 401s use the budget, the guesses after them are refused.
        Assert.Equal(
            [
                HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
                HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
            ],
            answers);
    }

    private static async Task<HttpStatusCode> SendFromAsync(PlatformTestApp app, string clientAddress)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/slow?milliseconds=0");
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return (await app.Client.SendAsync(request)).StatusCode;
    }
}
