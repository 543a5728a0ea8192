using System.Net;

namespace Platform.Tests;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task On_shutdown_health_turns_503_while_in_flight_and_new_requests_still_complete()
    {
        await using var app = await PlatformTestApp.StartAsync(new() { ["DRAIN_DELAY_SECONDS"] = "2" });
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        var inFlight = app.Client.GetAsync(new Uri("/slow?milliseconds=1500", UriKind.Relative));
        await Task.Delay(200);
        var stopping = app.App.StopAsync(); // what SIGTERM from ECS triggers
        await Task.Delay(300);

        var healthDuringDrain = await app.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var requestDuringDrain = await app.Client.GetAsync(new Uri("/slow?milliseconds=0", UriKind.Relative));
        var inFlightResponse = await inFlight;
        await stopping;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthDuringDrain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, requestDuringDrain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inFlightResponse.StatusCode);
        Assert.Equal("\"done\"", await inFlightResponse.Content.ReadAsStringAsync());
    }
}
