using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Faults.Tests;

/// <summary>
/// The test stack <c>./dev test</c> runs as processes, and the operator's hands on it: the load balancer and each
/// service's own port, the pid files, PostgreSQL's data folder and <c>./dev stack</c> to start and stop what
/// <c>./dev</c> launched, the way it launches it. Everything comes from the STACK_* variables <c>./dev test</c> exports.
/// </summary>
public sealed class Stack
{
    public static readonly string[] Services = ["inventory", "customers", "payments", "locations"];

    private readonly string _dev = Variable("STACK_DEV");
    private readonly string _state = Variable("STACK_STATE");
    private readonly string _postgresData = Variable("STACK_PG_DATA");
    private readonly string _logs = Variable("STACK_LOGS");
    private readonly Dictionary<string, int> _ports = Variable("STACK_SERVICE_PORTS").Split(',')
        .Select(pair => pair.Split('='))
        .ToDictionary(pair => pair[0], pair => int.Parse(pair[1], CultureInfo.InvariantCulture));

    public Stack()
    {
        LoadBalancer = new Uri(Variable("STACK_URL"));
        StripeUrl = new Uri(Variable("STACK_STRIPE_URL"));
        StripeKey = Variable("STACK_STRIPE_KEY");
        // No pool: a pooled connection would outlive the PostgreSQL a scenario stopped, and fail the next one's first query.
        Database = Variable("STACK_DB") + ";Pooling=false";
    }

    public Uri LoadBalancer { get; }

    public Uri StripeUrl { get; }

    public string StripeKey { get; }

    /// <summary>An Npgsql connection string without a database: the invariants are read straight from each service's.</summary>
    public string Database { get; }

    /// <summary>A service instance's own address (instance 2 is the second one behind the load balancer).</summary>
    public Uri Instance(string service, int instance = 1) =>
        new($"http://127.0.0.1:{_ports[instance == 1 ? service : $"{service}-2"]}");

    /// <summary><c>./dev stack &lt;arguments&gt;</c>: start, stop or kill a service instance, start or stop PostgreSQL or Redis.</summary>
    public async Task DevAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(_dev) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("stack");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(240)); // a service start on a busy machine is slow
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // no half-started instance left behind to hold a port
            throw;
        }

        Assert.True(process.ExitCode == 0, $"./dev stack {string.Join(' ', arguments)} failed: {await output}{await errors}");
    }

    /// <summary>The log of a process <c>./dev</c> started (haproxy, stripe, a service).</summary>
    public string LogFile(string name) => Path.Combine(_logs, $"{name}.log");

    /// <summary>The process id in <c>&lt;name&gt;.pid</c> (redis, moto, stripe, a service, haproxy).</summary>
    public int Pid(string name) =>
        int.Parse(File.ReadAllText(Path.Combine(_state, $"{name}.pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>PostgreSQL's postmaster (the first line of its <c>postmaster.pid</c>) and all its children.</summary>
    public IReadOnlyList<int> PostgresPids()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_postgresData, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        return [postmaster, .. ChildrenOf(postmaster)];
    }

    /// <summary>Sends <paramref name="signal"/> (STOP, CONT, KILL) with kill(1).</summary>
    public static async Task SignalAsync(string signal, IEnumerable<int> pids)
    {
        var start = new ProcessStartInfo("kill") { RedirectStandardError = true };
        start.ArgumentList.Add($"-{signal}");
        foreach (var pid in pids)
        {
            start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Puts the stack back as <c>./dev test</c> left it, whatever a scenario did to it: nothing paused, PostgreSQL and
    /// Redis running, one instance of each service, every service ready.
    /// </summary>
    public async Task RestoreAsync()
    {
        var paused = new List<int>();
        if (File.Exists(Path.Combine(_postgresData, "postmaster.pid")))
        {
            paused.AddRange(PostgresPids());
        }

        foreach (var name in Services.Concat(["redis", "moto", "stripe"]))
        {
            if (File.Exists(Path.Combine(_state, $"{name}.pid")))
            {
                paused.Add(Pid(name));
            }
        }

        await SignalAsync("CONT", paused);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var seconds = Services.Where(service => File.Exists(Path.Combine(_state, $"{service}-2.pid"))).ToList();
        if (seconds.Count == 0 && (await Task.WhenAll(Services.Select(service => IsReadyAsync(http, service)))).All(ready => ready))
        {
            return; // every service ready means each dependency it checks is there too
        }

        await DevAsync("start", "postgres");
        await DevAsync("start", "redis");
        foreach (var service in Services)
        {
            await DevAsync("start", service);
        }

        await Task.WhenAll(seconds.Select(service => DevAsync("stop", service, "2")));
        foreach (var service in Services)
        {
            await Poll.UntilAsync(async () => await IsReadyAsync(http, service), TimeSpan.FromSeconds(60), $"{service} ready again after the scenario");
        }
    }

    private async Task<bool> IsReadyAsync(HttpClient http, string service)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(Instance(service), "/health/ready"));
            return response.StatusCode == HttpStatusCode.OK
                && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString() == "up";
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue; // it ended while we looked
            }

            // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }

    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException(
            $"{name} is not set: the fault suite runs against the stack ./dev test starts (./dev test tests/Faults.Tests/Faults.Tests.csproj).");
}
