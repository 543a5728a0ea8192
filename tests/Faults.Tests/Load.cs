using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Faults.Tests;

/// <summary>One kind of request the load sends; <paramref name="Expected"/> are the statuses besides 2xx and 503 that are a right answer.</summary>
public sealed record Probe(string Name, Func<HttpClient, CancellationToken, Task<HttpResponseMessage>> SendAsync, params HttpStatusCode[] Expected);

/// <summary>
/// An answer the load got: when (seconds since the load started), its status (0: no connection, -1: no answer in time),
/// how long it took, and which instance answered (null: the load balancer itself, having no instance to send it to).
/// </summary>
public sealed record Answer(string Probe, double At, int Status, double Seconds, bool RetryAfter, string? ServedBy = null)
{
    public static Answer Of(string probe, double at, HttpResponseMessage response, double seconds) =>
        new(probe, at, (int)response.StatusCode, seconds, response.Headers.RetryAfter is not null,
            response.Headers.TryGetValues("X-Served-By", out var servers) ? string.Join(",", servers) : null);
}

/// <summary>
/// Steady load from a few concurrent clients over loopback, bounded by a number of requests and a time; every answer is
/// kept, so a scenario can say what was answered, how slowly, and when the failures stopped.
/// </summary>
public sealed class Load : IAsyncDisposable
{
    /// <summary>Longer than any answer the targets allow, so a slow answer is measured rather than cut short.</summary>
    private static readonly TimeSpan RequestPatience = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _http;
    private readonly Task[] _clients;
    private int _sent;

    private Load(Uri baseAddress, IReadOnlyList<Probe> probes, int clients, int maxRequests, TimeSpan maxTime)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _clients = Enumerable.Range(0, clients).Select(client => Task.Run(() => RunClientAsync(client, probes, maxRequests, maxTime))).ToArray();
    }

    public static Load Start(Uri baseAddress, IReadOnlyList<Probe> probes, int clients = 4, int maxRequests = 20_000, TimeSpan? maxTime = null) =>
        new(baseAddress, probes, clients, maxRequests, maxTime ?? TimeSpan.FromSeconds(90));

    /// <summary>Seconds since the load started: a scenario notes when it broke and restored something.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    public IReadOnlyList<Answer> Answers => [.. _answers];

    public async Task<IReadOnlyList<Answer>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return Answers;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunClientAsync(int client, IReadOnlyList<Probe> probes, int maxRequests, TimeSpan maxTime)
    {
        for (var turn = client; !_stop.IsCancellationRequested && _clock.Elapsed < maxTime && Interlocked.Increment(ref _sent) <= maxRequests; turn++)
        {
            var probe = probes[turn % probes.Count];
            var started = _clock.Elapsed.TotalSeconds;
            using var patience = new CancellationTokenSource(RequestPatience);
            try
            {
                using var response = await probe.SendAsync(_http, patience.Token);
                _answers.Enqueue(Answer.Of(probe.Name, started, response, _clock.Elapsed.TotalSeconds - started));
            }
            catch (HttpRequestException)
            {
                _answers.Enqueue(new Answer(probe.Name, started, 0, _clock.Elapsed.TotalSeconds - started, false));
            }
            catch (OperationCanceledException) when (patience.IsCancellationRequested)
            {
                _answers.Enqueue(new Answer(probe.Name, started, -1, _clock.Elapsed.TotalSeconds - started, false));
            }

            try
            {
                await Task.Delay(20, _stop.Token); // steady, not flat out: two cores serve the whole stack
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}

/// <summary>What a scenario reports and asserts about the answers its load got.</summary>
public static class Report
{
    public static bool IsSuccess(this Answer answer) => answer.Status is >= 200 and < 300;

    /// <summary>
    /// A wrong answer during an outage: a 5xx other than 503, a 503 without Retry-After, no connection, no answer, or a
    /// status the probe does not expect.
    /// </summary>
    public static bool IsWrong(this Answer answer, IReadOnlyList<Probe> probes) =>
        !answer.IsSuccess()
        && !(answer.Status == 503 && answer.RetryAfter)
        && !probes.Single(p => p.Name == answer.Probe).Expected.Contains((HttpStatusCode)answer.Status);

    /// <summary>Requests sent, answers by status, the slowest answer and, after <paramref name="restoredAt"/>, how long failures went on; per probe.</summary>
    public static string Describe(IReadOnlyList<Answer> answers, double? restoredAt = null)
    {
        var text = new StringBuilder();
        foreach (var probe in answers.GroupBy(a => a.Probe))
        {
            var statuses = string.Join(", ", probe.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{Name(g.Key)}×{g.Count()}"));
            var slowest = probe.MaxBy(a => a.Seconds)!;
            text.Append(CultureInfo.InvariantCulture,
                $"  {probe.Key}: {probe.Count()} sent; {statuses}; slowest {slowest.Seconds:0.000} s ({Name(slowest.Status)})");
            var unasked = probe.Count(a => a.Status == 503 && !a.RetryAfter);
            if (unasked > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"; 503 without Retry-After×{unasked}");
            }

            // A 503 no instance served: the load balancer had taken every instance out (failed health checks).
            var unserved = probe.Where(a => a.Status == 503 && a.ServedBy is null).Select(a => a.At).ToList();
            if (unserved.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"; 503 from the load balancer (no instance in service)×{unserved.Count} from +{unserved.Min():0.0} s to +{unserved.Max():0.0} s");
            }

            if (restoredAt is { } restored)
            {
                var lastFailure = probe.Where(a => !a.IsSuccess()).Select(a => a.At + a.Seconds).DefaultIfEmpty(double.NaN).Max();
                text.Append(double.IsNaN(lastFailure) ? "; never failed" : lastFailure <= restored
                    ? "; answered again before the dependency was back"
                    : string.Create(CultureInfo.InvariantCulture, $"; last failure {lastFailure - restored:0.0} s after the dependency was back"));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Name(int status) => status switch
    {
        0 => "no connection",
        -1 => "no answer in 20 s",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
