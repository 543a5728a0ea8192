using LoadGenerator;

// ./dev bench runs this against the stack it started: load the data set, then each scenario at its most and at fixed
// rates, beside its bare baseline, then the flash sale, then the report. `--smoke` is the test command's short run on a
// small data set; `--only <name>` runs only the scenarios whose name starts with it (`--only "flash sale"`).
var smoke = args.Contains("--smoke");
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "bench/results";
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() ?? "";
var settings = BenchSettings.FromEnvironment(smoke);

Console.WriteLine($"Loading the {(smoke ? "smoke" : "benchmark")} data set: {settings.Size}");
var data = await BenchData.LoadAsync(settings);
using var stripe = new StripeEmulatorClient(settings.Stripe);
using var payers = await Payers.LoadAsync(settings, data);
Console.WriteLine($"{payers.Available:N0} customers can pay");
var scenarios = await Scenarios.CreateAsync(settings, data, payers, stripe);

var results = new List<ScenarioResult>();
using var sampler = new ProcessSampler(settings.Processes);
foreach (var scenario in scenarios.Where(s => s.Name.StartsWith(only, StringComparison.Ordinal)))
{
    Console.WriteLine($"==> {scenario.Name}");
    results.Add(await RunToItsEndAsync(scenario, () => LoadRunner.RunAsync(scenario, settings, sampler)));
}

if (FlashSale.Name.StartsWith(only, StringComparison.Ordinal))
{
    Console.WriteLine($"==> {FlashSale.Name}: {settings.FlashSale}");
    results.Add(await RunToItsEndAsync(FlashSale.Scenario(settings), () => FlashSale.RunAsync(settings, sampler)));
    if (results[^1] is { Runs: [var race], Check: { } check })
    {
        Console.WriteLine($"    {check.Description}; p50 {race.P50Ms:N0} ms, p99 {race.P99Ms:N0} ms");
    }
}

var report = new Report(settings, results, await data.CheckStockAsync());
var (markdown, json) = await report.WriteAsync(output);
Console.WriteLine(report.Summary());
Console.WriteLine($"report: {markdown} and {json}");
return report.ErrorCount == 0 && report.StockIsRight && report.AllRan ? 0 : 1;

// One scenario that cannot go on (a service still overloaded from the one before) costs its own figures, not the half
// hour of the others': it is reported as stopped, with why, and the run goes on to its report.
static async Task<ScenarioResult> RunToItsEndAsync(Scenario scenario, Func<Task<ScenarioResult>> run)
{
    try
    {
        return await run();
    }
    catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException or InvalidOperationException)
    {
        Console.WriteLine($"    stopped: {e.GetType().Name}: {e.Message}");
        return ScenarioResult.Stopped(scenario, e);
    }
}
