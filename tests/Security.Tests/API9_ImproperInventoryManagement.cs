using System.Net;

namespace Security.Tests;

/// <summary>
/// OWASP API9:2023: the OpenAPI documents are the inventory of what the load balancer exposes. Every documented
/// operation answers, every other method on a documented path is 405, the usual forgotten paths (old versions, debug and
/// documentation pages, dot-files) are not served, and docs/api.md's table of who may call what (<see cref="Access"/>)
/// covers exactly the documented operations.
/// </summary>
public sealed class API9_ImproperInventoryManagement(Stack stack) : IClassFixture<Stack>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    [StackFact]
    public async Task API9_the_documents_list_exactly_the_operations_of_the_contract_each_under_its_services_prefix()
    {
        var documents = await OpenApiDocument.FetchAllAsync(stack);
        var operations = documents.SelectMany(document => document.Operations()).ToList();

        var undocumented = Access.Operations.Keys.Except(operations.Select(o => Access.Key(o.Method, o.Path))).ToList();
        var unplaced = operations.Where(o => Access.Of(o.Method, o.Path) is null).Select(o => o.ToString()).ToList();
        var misplaced = operations.Where(o => !o.Path.StartsWith($"/api/{o.Service}", StringComparison.Ordinal)).Select(o => o.ToString()).ToList();

        Assert.True(undocumented.Count == 0, $"in docs/api.md but in no OpenAPI document: {string.Join("; ", undocumented)}");
        Assert.True(unplaced.Count == 0, $"documented but not in Access (who may call it?): {string.Join("; ", unplaced)}");
        Assert.True(misplaced.Count == 0, $"documented outside the service's prefix, so the load balancer never routes them: {string.Join("; ", misplaced)}");
    }

    [StackFact]
    public async Task API9_every_documented_operation_answers_through_the_load_balancer_and_no_other_method_does()
    {
        var documents = await OpenApiDocument.FetchAllAsync(stack);
        var anonymous = stack.Anonymous().Http;
        var realIds = await RealIdsAsync();
        var failures = new List<string>();

        foreach (var path in documents.SelectMany(document => document.Operations()).GroupBy(o => o.Path))
        {
            var url = Fill(path.Key, realIds);
            foreach (var method in Methods)
            {
                var documented = path.FirstOrDefault(o => o.Method == method);
                var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
                var status = (int)response.StatusCode;
                var expected = documented is null ? "405"
                    : Access.Of(method, path.Key) is Caller.Customer or Caller.Admin ? "401"
                    : "anything but 404 or 405";
                var holds = documented is null ? status == 405
                    : Access.Of(method, path.Key) is Caller.Customer or Caller.Admin ? status == 401
                    : status is not 404 and not 405;
                if (!holds)
                {
                    failures.Add($"{method} {url}: {status}, expected {expected}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [StackTheory]
    [InlineData("/api/inventory/swagger")]
    [InlineData("/api/inventory/swagger/index.html")]
    [InlineData("/api/inventory/openapi/v1.json")]
    [InlineData("/api/inventory/v1/products")]
    [InlineData("/api/inventory/v2/products")]
    [InlineData("/api/inventory/metrics")]
    [InlineData("/api/inventory/debug")]
    [InlineData("/api/inventory/admin")]
    [InlineData("/api/customers/.env")]
    [InlineData("/api/customers/.git/config")]
    [InlineData("/api/customers/appsettings.json")]
    [InlineData("/api/customers/health/ready")]
    [InlineData("/api/payments/webhooks")]
    [InlineData("/api/payments/webhooks/test")]
    [InlineData("/api/locations/admin")]
    public async Task API9_a_path_that_is_not_documented_is_a_404_problem(string path)
    {
        var response = await stack.Anonymous().Http.GetAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [StackTheory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/swagger/index.html")]
    [InlineData("/api/v2/inventory/products")]
    [InlineData("/api/orders/")]
    [InlineData("/metrics")]
    public async Task API9_a_path_outside_the_load_balancers_rules_reaches_no_service(string path)
    {
        var response = await stack.Anonymous().Http.GetAsync(path);

        // What no API's rule takes goes to the storefront (the ALB's last rule), which serves none of these either.
        Assert.False(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        var servedBy = response.Headers.TryGetValues("X-Served-By", out var servers) ? servers.Single() : null;
        Assert.True(servedBy is null || servedBy.StartsWith("storefront", StringComparison.Ordinal), $"{path} was routed to {servedBy}");
    }

    /// <summary>A product and a store that exist, so a public read by id answers 200, not a 404 that would hide a missing route.</summary>
    private async Task<Dictionary<string, string>> RealIdsAsync()
    {
        var http = stack.Anonymous().Http;
        var product = (await http.GetJsonAsync("/api/inventory/products?pageSize=1")).GetProperty("items")[0].GetProperty("id").GetString()!;
        var store = (await http.GetJsonAsync("/api/locations/?pageSize=1")).GetProperty("items")[0].GetProperty("id").GetString()!;
        return new Dictionary<string, string> { ["/api/inventory/products/{id}"] = product, ["/api/locations/{id}"] = store, ["{locationId}"] = store };
    }

    private static string Fill(string template, Dictionary<string, string> realIds)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(template, "{([^}:]+):[^}]*}", "{$1}");
        foreach (var (prefix, id) in realIds)
        {
            path = path.Replace(prefix,
                prefix.Replace("{id}", id, StringComparison.Ordinal).Replace("{locationId}", id, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        return System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.CreateVersion7().ToString());
    }
}
