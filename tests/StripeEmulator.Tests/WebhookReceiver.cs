using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace StripeEmulator.Tests;

/// <summary>
/// A webhook endpoint on a port of its own that records every delivery attempt (event id, whether its Stripe signature
/// holds, any trace context it carries) and answers 500 to the first <c>failures</c> attempts of each event, then 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "whsec_test_emulator";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Attempt> _attempts = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    public IReadOnlyList<Attempt> AttemptsOf(string eventId) => [.. _attempts.Where(a => a.EventId == eventId)];

    public static async Task<WebhookReceiver> StartAsync(int failures)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/webhooks", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            var eventId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            var signed = true;
            try
            {
                Stripe.EventUtility.ValidateSignature(body, request.Headers["Stripe-Signature"].ToString(), Secret, 300);
            }
            catch (Stripe.StripeException)
            {
                signed = false;
            }

            var before = receiver.AttemptsOf(eventId).Count;
            var status = before < failures ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            var traceParent = request.Headers.TryGetValue("traceparent", out var header) ? header.ToString() : null;
            receiver._attempts.Enqueue(new Attempt(eventId, signed, status, traceParent));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/webhooks";
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    public sealed record Attempt(string EventId, bool SignatureValid, int AnsweredWith, string? TraceParent);
}
