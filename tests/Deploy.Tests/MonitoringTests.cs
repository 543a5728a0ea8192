using System.Text.Json;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>
/// The dashboard and the alarms of deploy/cloudformation/platform.yaml against the metrics the services' code emits and
/// those the collector (deploy/otel-collector.yaml) makes CloudWatch metrics of.
/// </summary>
public sealed partial class MonitoringTests
{
    /// <summary>
    /// The metrics of the built-in meters (ApplicationMetrics.BuiltInMeters) that the dashboard or an alarm reads; they
    /// are named by their library, not in our code. Npgsql: the connections of each pool, by state.
    /// </summary>
    private static readonly string[] BuiltInMetricsRead = ["db.client.connection.count"];

    private static async Task<TemplateValues> ProductionAsync() =>
        new(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });

    [Fact]
    public async Task Every_application_metric_the_dashboard_and_the_alarms_read_is_one_the_services_emit()
    {
        var instruments = InstrumentNames();
        // The scan finds an instrument created on a meter variable and one created on a chained call.
        Assert.Contains("reservations.created", instruments);
        Assert.Contains("events.received", instruments);
        var emitted = instruments.Concat(BuiltInMetricsRead).ToHashSet(StringComparer.Ordinal);

        var read = await ApplicationMetricsReadAsync(await ProductionAsync());

        Assert.NotEmpty(read);
        var unknown = read.Where(metric => !emitted.Contains(metric.Name)).GroupBy(metric => metric.Name)
            .Select(metric => $"{metric.Key} (read by {string.Join(", ", metric.Select(m => m.Where).Distinct())})").Order().ToList();
        Assert.True(unknown.Count == 0, $"No instrument of the services is named {string.Join("; ", unknown)}");
    }

    [Fact]
    public async Task The_collector_makes_each_of_them_a_cloudwatch_metric_with_the_dimensions_it_is_read_by()
    {
        var (_, declarations) = await CollectorAsync();

        foreach (var metric in await ApplicationMetricsReadAsync(await ProductionAsync()))
        {
            Assert.True(
                declarations.Any(d => d.Selectors.Any(selector => selector.IsMatch(metric.Name))
                    && d.DimensionSets.Any(set => set.SetEquals(metric.Dimensions.Keys))),
                $"{metric.Where} reads {metric.Name} by [{string.Join(", ", metric.Dimensions.Keys)}], "
                + "a dimension set no metric declaration of the collector gives it");
        }
    }

    [Fact]
    public async Task The_alarms_on_application_metrics_notify_the_alarm_topic_and_a_quiet_period_is_no_alarm()
    {
        var values = await ProductionAsync();
        var (topicId, _) = Assert.Single(values.Created("AWS::SNS::Topic"));
        var (applicationNamespace, _) = await CollectorAsync();
        var alarms = values.Created("AWS::CloudWatch::Alarm")
            .Where(alarm => AlarmMetrics(values, alarm.Id, alarm.Resource).Any(metric => metric.Namespace == applicationNamespace))
            .ToList();
        Assert.NotEmpty(alarms);

        foreach (var (id, alarm) in alarms)
        {
            Assert.Equal([$"<{topicId}>"], values.Items(values.Property(alarm, "AlarmActions")!.Value).Select(values.Text));
            // No payment at night, no event rejected: no data is the normal state, not a reason to wake anyone.
            Assert.True(values.Text(values.Property(alarm, "TreatMissingData")!.Value) == "notBreaching", $"{id} should treat missing data as not breaching");
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task A_service_that_relays_an_outbox_has_an_alarm_on_its_age_and_one_that_consumes_events_on_those_it_dead_letters(
        string service, string assembly)
    {
        _ = assembly;
        var values = await ProductionAsync();
        var source = string.Concat(SourceFiles($"services/{service}").Select(File.ReadAllText));
        var read = values.Created("AWS::CloudWatch::Alarm").SelectMany(alarm => AlarmMetrics(values, alarm.Id, alarm.Resource)).ToList();

        bool Alarmed(string metric, string? outcome = null) => read.Any(m => m.Name == metric
            && m.Dimensions.GetValueOrDefault("service.name") == service && (outcome is null || m.Dimensions.GetValueOrDefault("outcome") == outcome));

        Assert.Equal(source.Contains("AddOutboxRelay<", StringComparison.Ordinal), Alarmed("outbox.oldest_age"));
        Assert.Equal(source.Contains("AddEventConsumer<", StringComparison.Ordinal), Alarmed("events.received", "dead_lettered"));
    }

    [Fact]
    public async Task The_dashboards_widgets_fit_its_grid_without_overlapping_and_it_shows_every_alarm_of_the_stack()
    {
        var values = await ProductionAsync();
        var body = DashboardBody(values);
        var widgets = body.GetProperty("widgets").EnumerateArray().ToList();
        Assert.NotEmpty(widgets);

        // A page is 24 columns wide; no widget hides another.
        var placed = widgets.Select(w => (
            X: w.GetProperty("x").GetInt32(), Y: w.GetProperty("y").GetInt32(), W: w.GetProperty("width").GetInt32(), H: w.GetProperty("height").GetInt32()))
            .ToList();
        Assert.All(placed, p => Assert.InRange(p.X + p.W, 1, 24));
        for (var i = 0; i < placed.Count; i++)
        {
            for (var j = i + 1; j < placed.Count; j++)
            {
                var (a, b) = (placed[i], placed[j]);
                Assert.False(a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H, $"widgets {i} and {j} overlap");
            }
        }

        Assert.All(widgets.Where(w => w.GetProperty("type").GetString() == "metric"),
            w => Assert.NotEmpty(w.GetProperty("properties").GetProperty("metrics").EnumerateArray()));
        var shown = widgets.Where(w => w.GetProperty("type").GetString() == "alarm")
            .SelectMany(w => w.GetProperty("properties").GetProperty("alarms").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(values.Created("AWS::CloudWatch::Alarm").Select(alarm => $"<{alarm.Id}.Arn>").Order(), shown.Order());
    }

    /// <summary>A metric the dashboard or an alarm reads: its dimensions by name, with their values (none for a search, which takes any).</summary>
    private sealed record MetricRead(string Where, string Namespace, string Name, IReadOnlyDictionary<string, string?> Dimensions);

    /// <summary>A metric declaration of the collector's awsemf exporter: the metrics it selects, and the dimension sets it gives them.</summary>
    private sealed record Declaration(List<Regex> Selectors, List<HashSet<string>> DimensionSets);

    private static async Task<List<MetricRead>> ApplicationMetricsReadAsync(TemplateValues values)
    {
        var (applicationNamespace, _) = await CollectorAsync();
        var alarms = values.Created("AWS::CloudWatch::Alarm").SelectMany(alarm => AlarmMetrics(values, alarm.Id, alarm.Resource));
        return [.. alarms.Concat(DashboardMetrics(values, applicationNamespace)).Where(metric => metric.Namespace == applicationNamespace)];
    }

    /// <summary>The awsemf exporter's namespace (the application metrics' one home) and its metric declarations.</summary>
    private static async Task<(string Namespace, List<Declaration> Declarations)> CollectorAsync()
    {
        var emf = (await Repository.ReadYamlAsync("deploy/otel-collector.yaml")).GetProperty("exporters").GetProperty("awsemf");
        // A declaration with label matchers applies to some points only, so it promises nothing for a metric as a whole.
        var declarations = emf.GetProperty("metric_declarations").EnumerateArray()
            .Where(d => !d.TryGetProperty("label_matchers", out _))
            .Select(d => new Declaration(
                [.. d.GetProperty("metric_name_selectors").EnumerateArray().Select(s => new Regex(s.GetString()!))],
                [.. d.GetProperty("dimensions").EnumerateArray()
                    .Select(set => set.EnumerateArray().Select(name => name.GetString()!).ToHashSet(StringComparer.Ordinal))]))
            .ToList();
        return (emf.GetProperty("namespace").GetString()!, declarations);
    }

    /// <summary>The metric an alarm watches, or each metric of its metric math.</summary>
    private static IEnumerable<MetricRead> AlarmMetrics(TemplateValues values, string id, JsonElement alarm)
    {
        MetricRead Read(JsonElement metric) => new($"alarm {id}", values.Text(metric.GetProperty("Namespace")), values.Text(metric.GetProperty("MetricName")),
            metric.TryGetProperty("Dimensions", out var dimensions)
                ? values.Items(dimensions).ToDictionary(d => values.Text(d.GetProperty("Name")), string? (d) => values.Text(d.GetProperty("Value")))
                : []);

        if (values.Property(alarm, "MetricName") is not null)
        {
            yield return Read(alarm.GetProperty("Properties"));
        }

        if (values.Property(alarm, "Metrics") is { } queries)
        {
            foreach (var query in values.Items(queries).Where(q => q.TryGetProperty("MetricStat", out _)))
            {
                yield return Read(query.GetProperty("MetricStat").GetProperty("Metric"));
            }
        }
    }

    /// <summary>The dashboard's body as CloudWatch receives it, each reference to a resource a stand-in.</summary>
    private static JsonElement DashboardBody(TemplateValues values)
    {
        var (_, dashboard) = Assert.Single(values.Created("AWS::CloudWatch::Dashboard"));
        return JsonDocument.Parse(values.Text(values.Property(dashboard, "DashboardBody")!.Value)).RootElement.Clone();
    }

    /// <summary>
    /// The metrics of the dashboard's graphs: each row <c>[namespace, name, dimension, value, ..., {options}]</c> (a
    /// <c>"."</c> repeats the row above), and each search of a row <c>[{"expression": ...}]</c>.
    /// </summary>
    private static IEnumerable<MetricRead> DashboardMetrics(TemplateValues values, string applicationNamespace)
    {
        foreach (var widget in DashboardBody(values).GetProperty("widgets").EnumerateArray().Where(w => w.GetProperty("type").GetString() == "metric"))
        {
            var where = $"the dashboard's \"{widget.GetProperty("properties").GetProperty("title").GetString()}\"";
            string[] above = [];
            foreach (var row in widget.GetProperty("properties").GetProperty("metrics").EnumerateArray())
            {
                var items = row.EnumerateArray().ToList();
                if (items is [{ ValueKind: JsonValueKind.Object } only])
                {
                    var expression = only.GetProperty("expression").GetString()!;
                    var searches = Searches(where, expression).ToList();
                    // Only a search with a schema and a metric name says which metric it reads.
                    Assert.True(!expression.Contains(applicationNamespace, StringComparison.Ordinal) || searches.Any(s => s.Namespace == applicationNamespace),
                        $"{where}: {expression} should search {{{applicationNamespace}, dimensions}} for one MetricName");
                    foreach (var search in searches)
                    {
                        yield return search;
                    }

                    continue;
                }

                var texts = items.Where(item => item.ValueKind == JsonValueKind.String)
                    .Select((item, i) => item.GetString() == "." ? above[i] : item.GetString()!).ToArray();
                above = texts;
                yield return new MetricRead(where, texts[0], texts[1],
                    texts.Skip(2).Chunk(2).ToDictionary(pair => pair[0], string? (pair) => pair[1]));
            }
        }
    }

    private static IEnumerable<MetricRead> Searches(string where, string expression)
    {
        foreach (Match search in Search().Matches(expression))
        {
            var schema = search.Groups["schema"].Value.Split(',').Select(part => part.Trim().Trim('"')).ToList();
            var name = SearchedMetricName().Match(search.Groups["terms"].Value);
            Assert.True(name.Success, $"{where}: {search.Value} should name its metric (MetricName=\"...\")");
            yield return new MetricRead(where, schema[0], name.Groups["name"].Value, schema.Skip(1).ToDictionary(dimension => dimension, string? (_) => null));
        }
    }

    /// <summary>The name of every instrument the services create (<c>CreateCounter&lt;long&gt;("name", ...)</c> and the like).</summary>
    private static HashSet<string> InstrumentNames() =>
        SourceFiles("services").Concat(SourceFiles("platform"))
            .SelectMany(path => InstrumentCreation().Matches(File.ReadAllText(path)))
            .Select(match => match.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles(string relativeDirectory) =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, relativeDirectory), "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(Repository.Root, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    [GeneratedRegex(@"\.Create(?:Counter|UpDownCounter|Histogram|Gauge|ObservableCounter|ObservableUpDownCounter|ObservableGauge)"
        + @"\s*(?:<[^>(]*>)?\(\s*(?:name:\s*)?""(?<name>[^""]+)""")]
    private static partial Regex InstrumentCreation();

    [GeneratedRegex(@"SEARCH\(\s*'\s*\{(?<schema>[^}]*)\}(?<terms>[^']*)'")]
    private static partial Regex Search();

    [GeneratedRegex(@"MetricName\s*=\s*""(?<name>[^""]+)""")]
    private static partial Regex SearchedMetricName();
}
