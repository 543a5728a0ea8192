using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Platform.Hosting;

namespace Platform.Tests;

/// <summary>
/// A small service built only from the platform's defaults, on real Kestrel and a free port, with endpoints that
/// exercise the shared behaviour: a JSON body, a slow request, a failure, a query value, a route value, a protected route;
/// a test may add dependencies and endpoints.
/// </summary>
public sealed class PlatformTestApp : IAsyncDisposable
{
    private PlatformTestApp(WebApplication app, Uri address)
    {
        App = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<PlatformTestApp> StartAsync(
        Dictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        var port = FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DRAIN_DELAY_SECONDS"] = "0",
            ["LOG_LEVEL"] = "warn",
            ["MAX_REQUEST_BODY_BYTES"] = "4096",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddPlatformDefaults("platform-tests");
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UsePlatformDefaults();
        app.MapPlatformEndpoints();
        app.MapPost("/orders", (OrderRequest order) => TypedResults.Ok(order));
        app.MapGet("/slow", async (int milliseconds) =>
        {
            await Task.Delay(milliseconds);
            return TypedResults.Ok("done");
        });
        app.MapGet("/search", (string? search) => TypedResults.Ok(search ?? ""));
        app.MapGet("/things/{name}", (string name) => TypedResults.Ok(name));
        app.MapGet("/secure", (System.Security.Claims.ClaimsPrincipal user) => TypedResults.Ok(user.FindFirst("sub")?.Value)).RequireAuthorization();
        app.MapGet("/fail", IResult () => throw new InvalidOperationException("secret internal detail: connection string Host=db;Password=hunter2"));
        map?.Invoke(app);
        await app.StartAsync();
        return new PlatformTestApp(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record OrderRequest(string Sku, int Quantity);
