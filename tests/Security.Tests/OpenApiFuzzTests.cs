using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Security.Tests;

/// <summary>
/// Every operation of every service's OpenAPI document, sent malformed values one place at a time (each path, query
/// and header parameter, each body property at any depth, and whole bodies that are not what it takes), anonymously, as a
/// customer and, for admin operations, as the admin, so validation is reached past authorization. Generated from the
/// documents, so a new route is covered without editing this test. Nothing may answer 5xx, leak a stack trace, a type
/// name or SQL, or give an error that is not a problem.
/// </summary>
public sealed class OpenApiFuzzTests(Stack stack, ITestOutputHelper output) : IClassFixture<Stack>
{
    /// <summary>Cases per operation and identity, drawn reproducibly from all of them, so the run stays near a minute.</summary>
    private const int CasesPerOperation = 150;

    /// <summary>Operations in flight: the machine runs the whole stack too.</summary>
    private const int Parallelism = 4;

    private const string OverTheLimit = "body: over the size limit";

    private sealed record Case(Operation Operation, string What, Func<HttpRequestMessage> Build);

    private sealed record Answer(Case Case, string Identity, int Status, string? ContentType, string Body, bool RetryAfter);

    [StackFact]
    public async Task API8_every_operation_answers_malformed_huge_and_hostile_values_without_a_5xx_or_a_leak()
    {
        var clock = Stopwatch.StartNew();
        var operations = (await OpenApiDocument.FetchAllAsync(stack)).SelectMany(document => document.Operations()).ToList();
        var customer = await stack.NewCustomerAsync();
        var admin = await stack.LogInAsync(stack.AdminEmail, stack.AdminPassword); // a session of its own: no other test's token is at risk
        var cases = operations.SelectMany(CasesOf).ToList();

        // Operations side by side, each one's requests one after another: the test is about input, not about races.
        var answers = new ConcurrentBag<Answer>();
        using var gate = new SemaphoreSlim(Parallelism);
        await Task.WhenAll(cases.GroupBy(c => c.Operation).Select(async operation =>
        {
            await gate.WaitAsync();
            try
            {
                foreach (var c in operation)
                {
                    foreach (var (name, token) in IdentitiesFor(c.Operation, customer.Tokens.AccessToken, admin.Tokens!.AccessToken))
                    {
                        answers.Add(await SendAsync(c, name, token, admin.Tokens!.AccessToken));
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        var all = answers.ToList();
        var statuses = all.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        var summary = $"{operations.Count} operations, {cases.Count} cases, {all.Count} requests in {clock.Elapsed.TotalSeconds:F0} s; "
            + $"statuses {string.Join(", ", statuses)}";
        output.WriteLine(summary);
        // Beside the stack's logs too, as the console shows a passing test's output only at detailed verbosity.
        if (Environment.GetEnvironmentVariable("STACK_STATE") is { } state)
        {
            await File.WriteAllTextAsync(Path.Combine(state, "logs", "fuzz.log"), summary + "\n");
        }

        var failures = all.Select(Failure).OfType<string>().ToList();
        Assert.True(failures.Count == 0, $"{summary}\n{failures.Count} failures, the first:\n{string.Join("\n", failures.Take(40))}");
        var throttled = all.Count(a => a.Status == 429);
        Assert.True(throttled < all.Count / 2, $"{summary}: most answers were 429, so little was tested");
        Assert.True(all.Select(a => a.Case.Operation.ToString()).Distinct().Count() == operations.Count, "every operation was sent");
    }

    /// <summary>What is wrong with one answer, or null.</summary>
    private static string? Failure(Answer answer)
    {
        var where = $"{answer.Case.Operation} [{answer.Case.What}] as {answer.Identity}: {answer.Status}";
        if (answer.Status == 0 && answer.Case.What == OverTheLimit)
        {
            // Answered before the body was read (401, 403, 404), a body past MAX_REQUEST_BODY_BYTES is not drained:
            // Kestrel closes the connection, as RFC 9112 (section 9.6) allows, and the client may see no answer.
            return null;
        }

        if (answer.Status is 0 or >= 500)
        {
            return $"{where} {Excerpt(answer.Body)}";
        }

        if (Responses.Leak(answer.Body) is { } leak)
        {
            return $"{where} leaks '{leak}': {Excerpt(answer.Body)}";
        }

        if (answer.Status >= 400 && answer.Body.Length > 0 && answer.ContentType != Responses.ProblemJson)
        {
            return $"{where} is {answer.ContentType ?? "without a content type"}, not a problem: {Excerpt(answer.Body)}";
        }

        return answer.Status == 429 && !answer.RetryAfter ? $"{where} without Retry-After" : null;
    }

    private static string Excerpt(string body) => body.Length > 300 ? body[..300] + "…" : body;

    /// <summary>
    /// Anonymous for every operation; a customer for customer and admin operations; the admin for admin operations. An
    /// operation that ends the caller's session (logout, erasing the account) is only sent anonymously: the fuzz's own
    /// identities must outlive the run.
    /// </summary>
    private static IEnumerable<(string Name, string? Token)> IdentitiesFor(Operation operation, string customer, string admin)
    {
        yield return ("anonymous", null);
        if (EndsTheSession(operation))
        {
            yield break;
        }

        var caller = Access.Of(operation.Method, operation.Path);
        if (caller is Caller.Customer or Caller.Admin)
        {
            yield return ("customer", customer);
        }

        if (caller is Caller.Admin)
        {
            yield return ("admin", admin);
        }
    }

    private static bool EndsTheSession(Operation operation) =>
        operation.Path.EndsWith("/logout", StringComparison.Ordinal)
        || (operation.Method == "DELETE" && operation.Parameters.All(p => p.In != "path"));

    private async Task<Answer> SendAsync(Case c, string identity, string? token, string adminToken)
    {
        using var request = c.Build();
        // A body past the limit may be refused before it is all sent, and the load balancer then closes the connection:
        // it is not handed back to the pool, where the next case would meet it closed and get no answer either.
        request.Headers.ConnectionClose = c.What == OverTheLimit;
        using var http = stack.NewHttpClient(Stack.NewAddress(), token); // each request its own address: no login throttle builds up
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (HttpRequestException exception)
        {
            return new Answer(c, identity, Status: 0, ContentType: null,
                Body: $"no answer: {exception.Message} {exception.InnerException?.Message}", RetryAfter: false);
        }

        using var _ = response;
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.Created && c.Operation.Method == "POST")
        {
            await RemoveCreatedAsync(c.Operation, body, adminToken);
        }

        return new Answer(c, identity, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body,
            response.Headers.RetryAfter is not null);
    }

    /// <summary>A value that turned out valid made a product or a store: it goes again, so no other test meets it.</summary>
    private async Task RemoveCreatedAsync(Operation operation, string body, string adminToken)
    {
        if (Access.Of(operation.Method, operation.Path) != Caller.Admin || operation.Parameters.Any(p => p.In == "path")
            || JsonNode.Parse(body)?["id"]?.GetValue<string>() is not { } id)
        {
            return;
        }

        using var http = stack.NewHttpClient(Stack.NewAddress(), adminToken);
        await http.DeleteAsync($"{operation.Path.TrimEnd('/')}/{id}");
    }

    private static IEnumerable<Case> CasesOf(Operation operation)
    {
        var all = new List<Case>();
        foreach (var parameter in operation.Parameters.Where(p => p.In is "path" or "query" or "header"))
        {
            foreach (var (name, text) in MalformedValues.Url)
            {
                if (parameter.In == "header" && (text.Contains('%', StringComparison.Ordinal) || text.Contains('&', StringComparison.Ordinal)))
                {
                    continue;
                }

                var value = text.Replace("{name}", parameter.Name, StringComparison.Ordinal);
                all.Add(new Case(operation, $"{parameter.In} {parameter.Name}: {name}", () => Request(operation, (parameter.Name, value), body: null)));
            }
        }

        if (operation.Body is { } schema)
        {
            foreach (var path in PropertyPaths(operation.Document, schema))
            {
                foreach (var (name, json) in MalformedValues.Json)
                {
                    all.Add(new Case(operation, $"body {Describe(path)}: {name}", () => Request(operation, parameter: null, BodyWith(operation, path, json))));
                }
            }
        }

        // Deterministic per operation, so a failure is the same failure when the test runs again.
        var random = new Random(StableHash(operation.ToString()));
        List<Case> sample = [.. all.OrderBy(_ => random.Next()).Take(CasesPerOperation)];
        if (operation.Method is "POST" or "PUT" or "PATCH")
        {
            foreach (var (name, contentType, bytes) in MalformedValues.Bodies)
            {
                sample.Add(new Case(operation, $"body: {name}", () => Request(operation, parameter: null, (contentType, bytes))));
            }
        }

        return sample.Count > 0 ? sample : [new Case(operation, "as documented", () => Request(operation, parameter: null, body: null))];
    }

    /// <summary>The request the document describes, with valid values, and <paramref name="parameter"/> or <paramref name="body"/> replaced.</summary>
    private static HttpRequestMessage Request(Operation operation, (string Name, string Value)? parameter, (string ContentType, byte[] Bytes)? body)
    {
        var path = operation.Path;
        var query = new List<string>();
        var headers = new List<(string, string)>();
        foreach (var p in operation.Parameters)
        {
            var value = parameter is { } chosen && chosen.Name == p.Name
                ? chosen.Value
                : Uri.EscapeDataString(MalformedValues.Valid(operation.Document, p.Name, p.Schema)?.ToString() ?? "");
            switch (p.In)
            {
                case "path":
                    path = System.Text.RegularExpressions.Regex.Replace(path, $"{{{p.Name}(:[^}}]*)?}}", value);
                    break;
                case "query":
                    query.Add($"{Uri.EscapeDataString(p.Name)}={value}");
                    break;
                case "header":
                    headers.Add((p.Name, Uri.UnescapeDataString(value)));
                    break;
            }
        }

        var request = new HttpRequestMessage(new HttpMethod(operation.Method), query.Count == 0 ? path : $"{path}?{string.Join('&', query)}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        // Commands that need one get a fresh key, so a malformed value, not the missing header, is what is answered.
        if (operation.Method != "GET" && !headers.Any(h => h.Item1.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
        }

        if ((body ?? ValidBody(operation)) is { } content)
        {
            request.Content = new ByteArrayContent(content.Bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(content.ContentType);
        }

        return request;
    }

    private static (string ContentType, byte[] Bytes)? ValidBody(Operation operation) =>
        operation.Body is { } schema
            ? ("application/json", Encoding.UTF8.GetBytes(MalformedValues.Valid(operation.Document, "body", schema)?.ToJsonString() ?? "{}"))
            : null;

    /// <summary>The valid body with the value at <paramref name="path"/> replaced by raw (possibly invalid) JSON.</summary>
    private static (string ContentType, byte[] Bytes) BodyWith(Operation operation, IReadOnlyList<object> path, string json)
    {
        const string Marker = "\u2603fuzz\u2603";
        var root = MalformedValues.Valid(operation.Document, "body", operation.Body!.Value) ?? new JsonObject();
        var node = root;
        foreach (var step in path.SkipLast(1))
        {
            node = step is int index ? node.AsArray()[index]! : node.AsObject()[(string)step]!;
        }

        if (path[^1] is int last)
        {
            node.AsArray()[last] = Marker;
        }
        else
        {
            node.AsObject()[(string)path[^1]] = Marker;
        }

        var text = root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .Replace($"\"{Marker}\"", json, StringComparison.Ordinal);
        return ("application/json", Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Every place in a valid body a value can be: properties at any depth, and the first element of each array.</summary>
    private static IEnumerable<IReadOnlyList<object>> PropertyPaths(OpenApiDocument document, JsonElement schema)
    {
        var root = MalformedValues.Valid(document, "body", schema);
        return Walk(root, []);

        static IEnumerable<IReadOnlyList<object>> Walk(JsonNode? node, List<object> at)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        var next = new List<object>(at) { name };
                        yield return next;
                        foreach (var inner in Walk(child, next))
                        {
                            yield return inner;
                        }
                    }

                    break;
                case JsonArray { Count: > 0 } array:
                    var first = new List<object>(at) { 0 };
                    yield return first;
                    foreach (var inner in Walk(array[0], first))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }

    private static string Describe(IReadOnlyList<object> path) =>
        string.Concat(path.Select((step, i) => step is int index ? $"[{index}]" : i == 0 ? (string)step : $".{step}"));

    private static int StableHash(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
