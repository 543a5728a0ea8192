using Platform.Hosting;

namespace Platform.Tests;

public sealed class HealthProbeTests
{
    [Fact]
    public async Task The_probe_is_0_while_the_service_serves_and_1_once_it_is_gone()
    {
        var app = await PlatformTestApp.StartAsync();
        var port = app.Client.BaseAddress!.Port;

        var whileServing = await HealthProbe.RunAsync(port, TimeSpan.FromSeconds(3));
        await app.DisposeAsync();
        var afterwards = await HealthProbe.RunAsync(port, TimeSpan.FromSeconds(3));

        Assert.Equal(0, whileServing);
        Assert.Equal(1, afterwards);
    }
}
