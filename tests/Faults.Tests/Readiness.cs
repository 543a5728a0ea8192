using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Faults.Tests;

/// <summary>
/// Each service's <c>/health/ready</c>, asked on its own port as the load balancer and an operator would: which services
/// check a dependency, how long after it went away they said so, and how long after it came back they were ready.
/// </summary>
public sealed class Readiness(Stack stack)
{
    public static readonly TimeSpan DownTarget = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan UpTarget = TimeSpan.FromSeconds(10);

    /// <summary>The services whose readiness names a check starting with <paramref name="dependency"/> (postgres, redis, s3:, sqs:).</summary>
    public async Task<IReadOnlyList<string>> DependentsAsync(string dependency)
    {
        var dependents = new List<string>();
        foreach (var service in Stack.Services)
        {
            var (_, body) = await AskAsync(service, TimeSpan.FromSeconds(10));
            if (body is { } report && report.GetProperty("checks").EnumerateObject().Any(c => c.Name.StartsWith(dependency, StringComparison.Ordinal)))
            {
                dependents.Add(service);
            }
        }

        return dependents;
    }

    /// <summary>
    /// From now, for each service, how long until its readiness answered that one of <paramref name="checks"/> is down: 503,
    /// or 200 with the service <c>degraded</c> where the dependency is optional (a cache). Null: not within <paramref name="patience"/>.
    /// </summary>
    public Task<Dictionary<string, TimeSpan?>> TimeToDownAsync(IEnumerable<string> services, string[] checks, TimeSpan patience) =>
        ForEachAsync(services, patience, (status, report) =>
            report.GetProperty("checks").EnumerateObject().Any(c =>
                checks.Any(check => c.Name.StartsWith(check, StringComparison.Ordinal)) && c.Value.GetProperty("status").GetString() == "down")
            && (status == HttpStatusCode.ServiceUnavailable || (status == HttpStatusCode.OK && report.GetProperty("status").GetString() == "degraded")));

    /// <summary>From now, for each service, how long until its readiness answered 200 with everything up.</summary>
    public Task<Dictionary<string, TimeSpan?>> TimeToUpAsync(IEnumerable<string> services, TimeSpan patience) =>
        ForEachAsync(services, patience, (status, report) => status == HttpStatusCode.OK && report.GetProperty("status").GetString() == "up");

    public static string Describe(string what, Dictionary<string, TimeSpan?> times)
    {
        var text = new StringBuilder($"  readiness {what}:");
        foreach (var (service, time) in times)
        {
            text.Append(CultureInfo.InvariantCulture, $" {service} {(time is { } t ? $"{t.TotalSeconds:0.00} s" : "never")};");
        }

        return text.AppendLine().ToString();
    }

    private async Task<Dictionary<string, TimeSpan?>> ForEachAsync(
        IEnumerable<string> services, TimeSpan patience, Func<HttpStatusCode, JsonElement, bool> holds)
    {
        var watches = services.ToDictionary(s => s, service => Poll.TimeUntilAsync(async () =>
        {
            var (status, body) = await AskAsync(service, patience);
            return body is { } report && holds(status, report);
        }, patience));
        await Task.WhenAll(watches.Values);
        return watches.ToDictionary(w => w.Key, w => w.Value.Result);
    }

    private async Task<(HttpStatusCode Status, JsonElement? Body)> AskAsync(string service, TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = patience };
        try
        {
            using var response = await http.GetAsync(new Uri(stack.Instance(service), "/health/ready"));
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        catch (HttpRequestException)
        {
            return (0, null);
        }
        catch (TaskCanceledException)
        {
            return (0, null);
        }
        catch (JsonException)
        {
            return (0, null);
        }
    }
}
