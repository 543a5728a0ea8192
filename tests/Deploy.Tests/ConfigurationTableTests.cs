using System.Text.Json;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>
/// The table of environment variables (docs/configuration.md) against what each service says it reads (<c>Service.dll
/// configuration</c>, from its options classes and the variables it requires): every variable documented for the
/// services that read it, with the default the code has, and no row for a variable no service reads; the README's
/// table of limits gives every limit of it with the same defaults.
/// </summary>
public sealed partial class ConfigurationTableTests
{
    private sealed record Variable(string Name, string? Default);

    /// <summary>Defaults the table gives in words, since they depend on the service: the only rows not compared.</summary>
    private static readonly string[] DefaultsInWords = ["PORT", "OTEL_SERVICE_NAME"];

    /// <summary>One row: its variables (a secret's <c>X / X_ARN</c> included), the services it names, its default column.</summary>
    private sealed record Row(string[] Names, string Services, string Defaults)
    {
        public bool Covers(string service) => Services == "all"
            || (Services.StartsWith("all but ", StringComparison.Ordinal)
                ? !Services["all but ".Length..].Split(", ").Contains(service)
                : Services.Split(", ").Contains(service));

        public override string ToString() => $"| {string.Join(", ", Names)} | {Services} | {Defaults} |";
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Every_variable_the_service_reads_is_in_the_table_for_it_with_the_codes_default(string service, string assembly)
    {
        var table = Table();
        foreach (var variable in await ReadByAsync(service, assembly))
        {
            var row = table.SingleOrDefault(r => r.Names.Contains(variable.Name));
            Assert.True(row is not null, $"{variable.Name} ({service} reads it) has no row in the table of environment variables (docs/configuration.md)");
            Assert.True(row.Covers(service), $"the table's row for {variable.Name} does not name {service}, which reads it: {row}");
            if (row.Defaults.StartsWith('—'))
            {
                Assert.True(variable.Default is null, $"the table says {variable.Name} has no default; the code's is {variable.Default}");
            }
            else if (Backticked().Matches(row.Defaults) is { } defaults && defaults.Count == row.Names.Length)
            {
                // A secret's X and X_ARN share one default column ("—"), so a row with defaults pairs them by position.
                Assert.Equal(defaults[Array.IndexOf(row.Names, variable.Name)].Groups[1].Value, variable.Default);
            }
            else
            {
                Assert.True(DefaultsInWords.Contains(variable.Name),
                    $"the table's default for {variable.Name} is neither \"—\" nor one `value` per variable: {row}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Every_variable_the_table_gives_the_service_is_one_it_reads(string service, string assembly)
    {
        var read = (await ReadByAsync(service, assembly)).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var row in Table().Where(r => r.Covers(service)))
        {
            Assert.All(row.Names, name => Assert.True(read.Contains(name), $"the table lists {name} for {service}, which does not read it: {row}"));
        }
    }

    [Fact]
    public void The_readmes_limits_are_every_limit_of_the_table_with_its_defaults()
    {
        var limits = Table().Where(row => IsLimit(row.Names[0])).ToDictionary(row => string.Join(", ", row.Names), row => Values(row.Defaults));
        var readme = ReadmeLimits().ToDictionary(
            cells => string.Join(", ", Values(cells[1])),
            cells => Values(cells[2]));

        Assert.Equal(limits.Keys.Order(), readme.Keys.Order());
        Assert.All(limits, limit => Assert.Equal(limit.Value, readme[limit.Key]));
    }

    /// <summary>What one client or customer may do: the rate limits, the <c>MAX_</c> bounds and the login throttle.</summary>
    private static bool IsLimit(string variable) =>
        variable.StartsWith("MAX_", StringComparison.Ordinal) || variable.StartsWith("LOGIN_", StringComparison.Ordinal)
        || variable.Contains("RATE_LIMIT", StringComparison.Ordinal);

    /// <summary>The `backticked` values of a cell, in order.</summary>
    private static string[] Values(string cell) => [.. Backticked().Matches(cell).Select(m => m.Groups[1].Value)];

    /// <summary>The cells of each row of the README's table of limits (its section "Limits").</summary>
    private static IEnumerable<string[]> ReadmeLimits() =>
        RowsOfFirstTable(Repository.Read("README.md").Split('\n').SkipWhile(line => line != "## Limits"));

    private static async Task<List<Variable>> ReadByAsync(string service, string assembly)
    {
        var dll = Path.Combine(Repository.Root, "services", service, "bin", "Debug", "net10.0", $"{assembly}.dll");
        var (exitCode, output) = await Repository.RunAsync("dotnet", [dll, "configuration"], cleanEnvironment: true);
        Assert.True(exitCode == 0, output);
        var json = output.Split('\n').Single(line => line.StartsWith("[{", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<List<Variable>>(json, JsonSerializerOptions.Web)!;
    }

    /// <summary>The rows of docs/configuration.md's table.</summary>
    private static List<Row> Table() =>
        [.. RowsOfFirstTable(Repository.Read("docs/configuration.md").Split('\n')).Select(cells => new Row(Values(cells[0]), cells[1], cells[2]))];

    /// <summary>The cells of each row of the first Markdown table in <paramref name="lines"/>, its heading left out.</summary>
    private static IEnumerable<string[]> RowsOfFirstTable(IEnumerable<string> lines) => lines
        .SkipWhile(line => !line.StartsWith("|---", StringComparison.Ordinal)).Skip(1)
        .TakeWhile(line => line.StartsWith('|'))
        .Select(line => line.Split(" | "));

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex Backticked();
}
