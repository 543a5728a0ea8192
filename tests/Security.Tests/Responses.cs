using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Security.Tests;

/// <summary>What every answer of the stack must be, and must never give away.</summary>
public static partial class Responses
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// The first sign in <paramref name="body"/> of something a client must never see (docs/api.md: no stack trace or SQL
    /// ever reaches a client): a stack frame, an exception's type name, our namespaces, the driver, PostgreSQL's own words.
    /// </summary>
    public static string? Leak(string body) => LeakPattern().Match(body) is { Success: true } match ? match.Value : null;

    /// <summary>Asserts a problem of <paramref name="status"/> that leaks nothing, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Null(Leak(body));
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose <c>errors</c> name <paramref name="field"/>.</summary>
    public static async Task AssertNamesFieldAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var named = problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).ToList();
        Assert.True(named.Contains(field, StringComparer.OrdinalIgnoreCase), $"errors name {string.Join(", ", named)}, not {field}");
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path) =>
        await (await http.GetAsync(path)).JsonAsync(HttpStatusCode.OK);

    public static Task<HttpResponseMessage> PatchAsJsonAsync(this HttpClient http, string path, object body) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) });

    [GeneratedRegex(
        @"\bat [\w.<>`]+\(|\.cs:line \d+|\b[A-Z]\w*Exception\b"
        + @"|\b(System|Microsoft|Npgsql|StackExchange|Amazon|Stripe|Inventory|Customers|Payments|Locations|Platform)\.[A-Z]\w+\."
        + @"|Npgsql|SQLSTATE|syntax error at or near|violates (unique|foreign key|check|not-null) constraint|\brelation ""\w+""|\bcolumn ""\w+""",
        RegexOptions.CultureInvariant)]
    private static partial Regex LeakPattern();
}
