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
    results.Add(await LoadRunner.RunAsync(scenario, settings, sampler));
}

if (FlashSale.Name.StartsWith(only, StringComparison.Ordinal))
{
    Console.WriteLine($"==> {FlashSale.Name}: {settings.FlashSale}");
    results.Add(await FlashSale.RunAsync(settings, sampler));
    Console.WriteLine($"    {results[^1].Check?.Description}; p50 {results[^1].Runs[0].P50Ms:N0} ms, p99 {results[^1].Runs[0].P99Ms:N0} ms");
}

var report = new Report(settings, results, await data.CheckStockAsync());
var (markdown, json) = await report.WriteAsync(output);
Console.WriteLine(report.Summary());
Console.WriteLine($"report: {markdown} and {json}");
return report.ErrorCount == 0 && report.StockIsRight ? 0 : 1;
