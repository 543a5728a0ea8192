using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Security;
using Xunit;

namespace TestSupport;

/// <summary>
/// The service's OpenAPI document, as it serves it, passes the repository's Spectral ruleset without an error. Each
/// service's test project has a class deriving from this one.
/// </summary>
public abstract partial class OpenApiDocumentTests<TProgram>(ServiceFixture<TProgram> service, string serviceName) where TProgram : class
{
    protected ServiceFixture<TProgram> Service { get; } = service;

    [Fact]
    public async Task The_OpenAPI_document_lints_without_errors()
    {
        var findings = await OpenApiLint.LintAsync(serviceName, await DocumentTextAsync());

        var errors = findings.Where(finding => finding.Severity == 0).ToList();
        Assert.True(errors.Count == 0, $"Spectral found {errors.Count} errors in the {serviceName} document:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public async Task Every_operation_that_needs_a_token_declares_the_bearer_scheme_and_its_401_and_every_other_declares_none()
    {
        using var document = JsonDocument.Parse(await DocumentTextAsync());
        var operations = Operations(document.RootElement).ToList();

        Assert.NotEmpty(operations);
        foreach (var (name, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            if (operation.TryGetProperty("security", out var security))
            {
                Assert.Equal("bearer", Assert.Single(Assert.Single(security.EnumerateArray()).EnumerateObject()).Name);
                Assert.True(responses.TryGetProperty("401", out _), $"{name} needs a token but declares no 401");
            }
            else
            {
                Assert.False(operation.TryGetProperty("x-roles", out _), $"{name} is anonymous but states roles");
            }

            foreach (var status in new[] { "400", "429", "500", "503" })
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{name} does not declare {status}");
            }
        }
    }

    [Fact]
    public async Task What_the_document_says_about_tokens_and_roles_is_what_the_service_does()
    {
        using var document = JsonDocument.Parse(await DocumentTextAsync());
        var customerToken = await CustomerTokenAsync();
        var checkedRoles = 0;
        foreach (var (name, operation) in Operations(document.RootElement).Where(o => o.Operation.TryGetProperty("security", out _)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Service.CreateClient(), name)).StatusCode);
            var roles = operation.GetProperty("x-roles").EnumerateArray().Select(role => role.GetString()).ToList();
            if (!roles.Contains(Roles.Customer))
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(Service.ClientWithToken(customerToken), name)).StatusCode);
                checkedRoles++;
            }
        }

        Assert.True(checkedRoles > 0, "no operation of this service is for admins only");
    }

    /// <summary>A valid access token with the customer role, as this service trusts it.</summary>
    protected virtual Task<string> CustomerTokenAsync() => Task.FromResult(TestTokens.For(Roles.Customer));

    // Authorization answers before the body or the ids are read, so any id and an empty object will do.
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string operation)
    {
        var (method, path) =
            (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var url = RouteValue().Replace(path, _ => Guid.NewGuid().ToString());
        return client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = method is "GET" or "DELETE" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        });
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteValue();

    protected async Task<string> DocumentTextAsync() => await Service.CreateClient().GetStringAsync("/openapi/v1.json");

    /// <summary>Each operation as "METHOD /path" with its object.</summary>
    protected static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where method.Name is "get" or "put" or "post" or "delete" or "patch"
        select ($"{method.Name.ToUpperInvariant()} {path.Name}", method.Value);
}
