using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Storefront.Tests;

/// <summary>
/// The four APIs, replaced: each request is recorded and answered by the first route whose method and path prefix
/// match, else 404. A test sets the routes it needs.
/// </summary>
public sealed class FakeApis : HttpMessageHandler
{
    private readonly ConcurrentQueue<(string Method, string PathPrefix, Func<HttpRequestMessage, HttpResponseMessage> Answer)> _routes = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public void On(HttpMethod method, string pathPrefix, Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        _routes.Enqueue((method.Method, pathPrefix, answer));

    public void OnJson(HttpMethod method, string pathPrefix, object body, HttpStatusCode status = HttpStatusCode.OK) =>
        On(method, pathPrefix, _ => new HttpResponseMessage(status) { Content = JsonContent.Create(body) });

    public void Clear() => _routes.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new RecordedRequest(
            request.Method.Method, request.RequestUri!.PathAndQuery, request.Headers.Authorization?.Parameter,
            request.Headers.TryGetValues("X-Forwarded-For", out var forwarded) ? string.Join(",", forwarded) : null,
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
            body,
            Activity.Current?.TraceId.ToString()));
        var route = _routes.FirstOrDefault(route =>
            route.Method == request.Method.Method && request.RequestUri.PathAndQuery.StartsWith(route.PathPrefix, StringComparison.Ordinal));
        return route.Answer is null ? new HttpResponseMessage(HttpStatusCode.NotFound) : route.Answer(request);
    }
}

/// <summary>A call the storefront made; <paramref name="TraceId"/> is the trace it was made in.</summary>
public sealed record RecordedRequest(
    string Method, string PathAndQuery, string? BearerToken, string? ForwardedFor, string? IdempotencyKey, string? Body, string? TraceId);
