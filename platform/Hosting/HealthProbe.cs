namespace Platform.Hosting;

/// <summary>
/// The container's health check. Chiseled runtime images have no shell and no curl, so the service's own binary
/// probes itself (<c>dotnet Inventory.dll healthcheck</c>): 0 when <c>/health/live</c> on its port answers 200, else 1.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(int port, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
