using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace StripeEmulator.Tests;

/// <summary>
/// The Stripe emulator in-process on a port of its own, with the settings a test gives it, talked to as payments talks to
/// Stripe: Stripe.net over HTTP (with its automatic retries off, so each test sees exactly the calls it makes).
/// </summary>
public sealed class Emulator : IAsyncDisposable
{
    public const string Key = "sk_test_emulator";

    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private Emulator(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Control = Http(Key);
    }

    public string Url { get; }

    /// <summary>For the emulator's own endpoints (<c>/_emulator/…</c>), with the test key.</summary>
    public HttpClient Control { get; }

    public static async Task<Emulator> StartAsync(IReadOnlyDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        // The emulator's own lines (faults injected, webhook attempts) stay in the test output; ASP.NET Core's per-request ones do not.
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Microsoft.AspNetCore", "Warning",
            .. (settings ?? new Dictionary<string, string>()).SelectMany(s => new[] { $"--{s.Key}", s.Value }),
        ];
        var app = Api.Build(args, configure);
        await app.StartAsync();
        return new Emulator(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>A Stripe client that gives up after <paramref name="timeout"/> and never retries on its own.</summary>
    public StripeClient Stripe(TimeSpan? timeout = null)
    {
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        _clients.Add(http);
        return new StripeClient(Key, httpClient: new SystemNetHttpClient(http, maxNetworkRetries: 0), apiBase: Url);
    }

    public HttpClient Http(string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri(Url) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(http);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _app.DisposeAsync();
    }
}
