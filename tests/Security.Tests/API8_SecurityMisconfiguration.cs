using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Security.Tests;

/// <summary>
/// OWASP API8:2023: what every answer carries (security headers, no server banner, problem details without stack traces
/// or SQL), and hostile text stopped at the platform boundary. That a plain-http JWKS URL stops start-up outside
/// Development and Test is configuration, proven in-process by
/// <c>Platform.Tests.ConfigurationTests.API8_a_plain_http_JWKS_URL_outside_Development_and_Test_stops_start_up_naming_JWT_JWKS_URL</c>.
/// </summary>
public sealed class API8_SecurityMisconfiguration(Stack stack) : IClassFixture<Stack>
{
    /// <summary>For each service: an answer that succeeds and one that fails, anonymously (payments has no anonymous read but its health).</summary>
    public static TheoryData<string, string> Answers => new()
    {
        { "/api/inventory/products?pageSize=1", "/api/inventory/no-such-route" },
        { "/api/customers/.well-known/jwks.json", "/api/customers/me" },
        { "/api/locations/?pageSize=1", "/api/locations/not-a-guid/nope" },
        { "/health/payments/live", "/api/payments/" },
    };

    [StackTheory]
    [MemberData(nameof(Answers))]
    public async Task API8_every_answer_has_the_security_headers_and_no_server_banner(string succeeding, string failing)
    {
        var http = stack.Anonymous().Http;
        var (ok, failed) = (await http.GetAsync(succeeding), await http.GetAsync(failing));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True((int)failed.StatusCode >= 400, $"{failing} answered {(int)failed.StatusCode}");
        foreach (var response in new[] { ok, failed })
        {
            var headers = response.Headers;
            Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
            Assert.Equal("DENY", Single(response, "X-Frame-Options"));
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", Single(response, "Content-Security-Policy"));
            Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
            Assert.False(headers.Contains("Server"), $"Server: {string.Join(", ", headers.TryGetValues("Server", out var server) ? server : [])}");
            Assert.False(headers.Contains("X-Powered-By"));
            Assert.False(headers.Contains("X-AspNet-Version"));
        }
    }

    [StackTheory]
    [InlineData("GET", "/api/inventory/no-such-route", null, null, HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/api/inventory/products", null, null, HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/api/customers/register", "application/json", "{\"email\": ", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/customers/register", "application/json", "{\"email\": 12, \"password\": [], \"name\": {}}", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/customers/login", "text/plain", "email=a&password=b", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("POST", "/api/customers/login", "application/xml", "<login/>", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("GET", "/api/inventory/products/not-a-guid", null, null, HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/locations/nearby?lat=north&lon=1", null, null, HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/customers/me", null, null, HttpStatusCode.Unauthorized)]
    public async Task API8_an_error_is_problem_json_with_no_stack_trace_type_name_or_sql(
        string method, string path, string? contentType, string? body, HttpStatusCode status)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        var response = await stack.Anonymous().Http.SendAsync(request);

        await response.AssertProblemAsync(status);
    }

    [StackTheory]
    [InlineData("/api/inventory/products?search=lamp%00", "search")]
    [InlineData("/api/locations/?city=Dub%00lin", "city")]
    public async Task API8_a_NUL_or_an_unpaired_surrogate_in_a_query_value_is_400_naming_the_field(string path, string field)
    {
        var response = await stack.Anonymous().Http.GetAsync(path);

        await response.AssertNamesFieldAsync(field);
    }

    [StackTheory]
    [InlineData("""{"name":"Ada\u0000"}""", "name")]
    [InlineData("""{"name":"Ada\ud800"}""", "name")]
    public async Task API8_a_NUL_or_an_unpaired_surrogate_in_a_json_string_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var customer = await stack.NewCustomerAsync();

        var response = await customer.Http.PatchAsync("/api/customers/me", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertNamesFieldAsync(field);
        Assert.Equal("Ada Lovelace", (await customer.Http.GetJsonAsync("/api/customers/me")).GetProperty("name").GetString());
    }

    [StackFact]
    public async Task API8_a_NUL_deep_in_a_reservation_names_the_item_it_is_in()
    {
        var customer = await stack.NewCustomerAsync();
        var body = """{"locationId":"0197a6c4-0000-7000-8000-000000000000","items":[{"productId":"0197a6c4-0000-7000-8000-000000000000","quantity":1},"""
            + """{"productId":"x\u0000","quantity":1}]}""";

        var response = await customer.Http.PostAsync("/api/inventory/reservations", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertNamesFieldAsync("items[1].productId");
    }

    [StackFact]
    public async Task API8_a_cross_origin_preflight_from_anywhere_is_not_allowed()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/customers/me");
        request.Headers.Add("Origin", "https://attacker.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");

        var response = await stack.Anonymous().Http.SendAsync(request);
        var simple = new HttpRequestMessage(HttpMethod.Get, "/api/inventory/products?pageSize=1");
        simple.Headers.Add("Origin", "https://attacker.example");
        var read = await stack.Anonymous().Http.SendAsync(simple);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(read.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(read.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [StackFact]
    public async Task API8_TRACE_is_refused_and_echoes_nothing()
    {
        var request = new HttpRequestMessage(HttpMethod.Trace, "/api/inventory/products");
        request.Headers.Add("X-Secret-Probe", "echo-me");

        var response = await stack.Anonymous().Http.SendAsync(request);

        Assert.True((int)response.StatusCode is 405 or 404 or 400 or 501, $"TRACE answered {(int)response.StatusCode}");
        Assert.DoesNotContain("echo-me", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [StackFact]
    public async Task API8_a_webhook_with_a_bad_signature_is_a_400_problem_that_reveals_no_secret()
    {
        var response = await stack.Anonymous().Http.PostAsJsonAsync("/api/payments/webhooks/stripe", new { id = "evt_1", type = "payment_intent.succeeded" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("whsec", problem.ToString(), StringComparison.Ordinal);
    }

    private static string? Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) || response.Content.Headers.TryGetValues(header, out values) ? string.Join(", ", values) : null;
}
