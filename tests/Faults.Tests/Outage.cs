using System.Globalization;

namespace Faults.Tests;

/// <summary>The stack, a customer of it, and its readiness, shared by a test class's scenarios.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public Stack Stack { get; } = new();

    public Shop Shop { get; private set; } = null!;

    public Readiness Readiness => new(Stack);

    public async Task InitializeAsync()
    {
        await Stack.RestoreAsync();
        Shop = await Shop.OpenAsync(Stack);
    }

    /// <summary>A new customer (tokens and all): after Redis lost its sessions, the old one is logged out.</summary>
    public async Task ReopenShopAsync() => Shop = await Shop.OpenAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>What a scenario measured while a dependency was away.</summary>
public sealed record OutageFigures(
    IReadOnlyList<Answer> Answers,
    double BrokeAt,
    double BrokenFrom,
    double RestoredAt,
    Dictionary<string, TimeSpan?> Down,
    Dictionary<string, TimeSpan?> Up)
{
    /// <summary>The answers to requests that were in flight at some moment of the outage.</summary>
    public IEnumerable<Answer> During => Answers.Where(a => a.At <= RestoredAt && a.At + a.Seconds >= BrokeAt);

    /// <summary>The answers to requests sent once the dependency had gone and answered before it was back.</summary>
    public IEnumerable<Answer> Inside => Answers.Where(a => a.At >= BrokenFrom && a.At + a.Seconds <= RestoredAt);
}

/// <summary>
/// One outage under steady load: load, break the dependency, watch readiness say so, keep it away for a while, bring it
/// back, watch readiness recover, let the load see it, and print the figures. The stack is restored whatever happens.
/// </summary>
public sealed class Outage(StackFixture fixture, ITestOutputHelper output)
{
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan SlowestAllowed = TimeSpan.FromSeconds(5);

    public async Task<OutageFigures> RunAsync(
        string what, string[] checks, IReadOnlyList<Probe> probes, Func<Task> breakIt, Func<Task> restoreIt, Func<Task>? duringOutage = null)
    {
        var dependents = checks.Length == 0 ? [] : await DependentsAsync(checks);
        var restored = false;
        var balancerLog = new LogTail(fixture.Stack.LogFile("haproxy"));
        try
        {
            await using var load = Load.Start(fixture.Stack.LoadBalancer, probes);
            await WarmUpAsync(load, probes);
            var brokeAt = load.Now;
            await breakIt();
            var brokenFrom = load.Now; // the break has happened: a request answered while it was being made is not inside it
            var down = fixture.Readiness.TimeToDownAsync(dependents, checks, Length);
            if (duringOutage is not null)
            {
                await duringOutage();
            }

            var downTimes = await down;
            // The outage's length is the scenario, not a wait for something. It counts from the break being complete: a
            // drained stop takes seconds, and a request sent after it must still have time to be refused.
            var rest = Length - TimeSpan.FromSeconds(load.Now - brokenFrom);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            await restoreIt();
            restored = true;
            var restoredAt = load.Now;
            var upTimes = await fixture.Readiness.TimeToUpAsync(dependents, TimeSpan.FromSeconds(20));
            var settled = load.Now + 2;
            await Poll.UntilAsync(() => Task.FromResult(load.Now >= settled), TimeSpan.FromSeconds(5), "the load after recovery");
            var answers = await load.StopAsync();

            // What is asserted is every answer that came after the fault (a request in flight when it struck included);
            // the ones before only warmed the stack up.
            var measured = answers.Where(a => a.At + a.Seconds >= brokeAt).ToList();
            var figures = new OutageFigures(measured, brokeAt, brokenFrom, restoredAt, downTimes, upTimes);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: warmed up with {answers.Count - measured.Count} requests, broken at +{brokeAt:0.0} s, back at +{restoredAt:0.0} s; "
                + $"from the break on: {measured.Count} requests, {measured.Count(a => a.IsWrong(probes))} wrong answers"));
            output.WriteLine(Report.Describe(measured, restoredAt));
            output.WriteLine(Readiness.Describe($"said {string.Join('/', checks)} was down after", downTimes));
            output.WriteLine(Readiness.Describe("200 again after", upTimes));
            // Why an instance left the rotation (a failed health check and its reason), when one did.
            foreach (var line in balancerLog.Lines())
            {
                output.WriteLine($"  load balancer: {line}");
            }

            return figures;
        }
        finally
        {
            if (!restored)
            {
                await restoreIt();
            }

            await fixture.Stack.RestoreAsync();
        }
    }

    /// <summary>Until every probe has been answered with success at least once and twenty requests were answered: a warm, steady stack.</summary>
    public static Task WarmUpAsync(Load load, IReadOnlyList<Probe> probes) =>
        Poll.UntilAsync(() =>
        {
            var answers = load.Answers;
            return Task.FromResult(answers.Count >= 20 && probes.All(p => answers.Any(a => a.Probe == p.Name && a.IsSuccess())));
        }, TimeSpan.FromSeconds(90), "the load getting going (every probe answered once)");

    private async Task<IReadOnlyList<string>> DependentsAsync(string[] checks)
    {
        var dependents = new HashSet<string>();
        foreach (var check in checks)
        {
            dependents.UnionWith(await fixture.Readiness.DependentsAsync(check));
        }

        return [.. Stack.Services.Where(dependents.Contains)];
    }

    /// <summary>The issue's targets for an outage: no wrong answer, none slower than 5 s, readiness down within 2 s and up within 10 s.</summary>
    public static void AssertAnsweredFastAndHonestly(OutageFigures figures, IReadOnlyList<Probe> probes)
    {
        var wrong = figures.Answers.Where(a => a.IsWrong(probes)).ToList();
        Assert.True(wrong.Count == 0, $"wrong answers (a 500, a 503 without Retry-After, no connection or no answer): {Report.Describe(wrong)}");
        var slow = figures.Answers.Where(a => a.Seconds > SlowestAllowed.TotalSeconds).ToList();
        Assert.True(slow.Count == 0, $"answers slower than {SlowestAllowed.TotalSeconds} s: {Report.Describe(slow)}");
        AssertReadiness(figures);
    }

    public static void AssertReadiness(OutageFigures figures)
    {
        Assert.All(figures.Down, d => Assert.True(d.Value <= Readiness.DownTarget,
            $"{d.Key}'s /health/ready did not say the dependency was down within {Readiness.DownTarget.TotalSeconds} s (took {Seconds(d.Value)})"));
        Assert.All(figures.Up, u => Assert.True(u.Value <= Readiness.UpTarget,
            $"{u.Key}'s /health/ready was not 200 within {Readiness.UpTarget.TotalSeconds} s of recovery (took {Seconds(u.Value)})"));
    }

    /// <summary>
    /// Each of <paramref name="probes"/> that was sent and answered while the dependency was away answered 503 at least
    /// once then, and at least one was. (Under a hang each request takes seconds, so a probe may have no request wholly
    /// inside an 8 s outage; one that began before it may rightly have been served.)
    /// </summary>
    public static void AssertRefusedDuringOutage(OutageFigures figures, params string[] probes)
    {
        var inside = figures.Inside.Where(a => probes.Contains(a.Probe)).ToList();
        var refusals = figures.Answers.Where(a => probes.Contains(a.Probe) && a.Status == 503)
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"+{a.At:0.00} s for {a.Seconds:0.00} s"));
        var window = string.Create(CultureInfo.InvariantCulture,
            $"sent once the break was complete (+{figures.BrokenFrom:0.00} s) and answered before the dependency was back (+{figures.RestoredAt:0.00} s)");
        Assert.True(inside.Count > 0, $"no request of {string.Join(", ", probes)} was {window}; its refusals: {string.Join(", ", refusals)}");
        foreach (var probe in probes.Where(p => inside.Any(a => a.Probe == p)))
        {
            Assert.True(inside.Any(a => a.Probe == probe && a.Status == 503),
                $"{probe} never answered 503 during the outage: {Report.Describe([.. inside.Where(a => a.Probe == probe)])}");
        }
    }

    private static string Seconds(TimeSpan? time) => time is { } t ? $"{t.TotalSeconds:0.00} s" : "longer than the outage";
}

/// <summary>What a log gained since this was made.</summary>
public sealed class LogTail(string path)
{
    private readonly long _start = File.Exists(path) ? new FileInfo(path).Length : 0;

    public IReadOnlyList<string> Lines()
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        log.Seek(Math.Min(_start, log.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(log);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
