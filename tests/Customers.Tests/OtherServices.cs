using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Customers.Tests;

/// <summary>
/// Inventory and payments as the customers service reaches them for an export: each answers with a document naming
/// itself and the path asked for, or with <see cref="Status"/> while that is set. Every request's URL and bearer token
/// are kept.
/// </summary>
public sealed class OtherServices : HttpMessageHandler
{
    public const string InventoryUrl = "http://inventory.test/";

    public const string PaymentsUrl = "http://payments.test/";

    public HttpStatusCode? Status { get; set; }

    public ConcurrentQueue<(string Url, string? Token)> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = request.Headers.Authorization is { Scheme: "Bearer" } bearer ? bearer.Parameter : null;
        Requests.Enqueue((request.RequestUri!.ToString(), token));
        if (Status is { } status)
        {
            return Task.FromResult(new HttpResponseMessage(status));
        }

        var answer = new { service = request.RequestUri.Host.Split('.')[0], path = request.RequestUri.AbsolutePath };
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(answer) });
    }
}
