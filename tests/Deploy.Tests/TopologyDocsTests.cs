using System.Globalization;
using System.Text.RegularExpressions;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>The ports and paths the README and the API contract give, against deploy/topology.json, their one home.</summary>
public sealed partial class TopologyDocsTests
{
    [Fact]
    public void The_readmes_service_table_gives_each_services_port_and_path_as_the_topology_does()
    {
        var rows = ReadmeRow().Matches(Repository.Read("README.md")).ToDictionary(
            row => row.Groups["service"].Value,
            row => (Port: int.Parse(row.Groups["port"].Value, CultureInfo.InvariantCulture), Path: row.Groups["path"].Value));

        Assert.Equal(Topology.Services.Keys.Order(), rows.Keys.Order());
        foreach (var (service, topology) in Topology.Services)
        {
            Assert.Equal(topology.Port, rows[service].Port);
            Assert.Contains(topology.PathPattern == "/*" ? "(`/`)" : $"`{topology.PathPattern.TrimEnd('*')}`", rows[service].Path, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_apis_section_of_the_contract_gives_its_port_and_prefix_as_the_topology_does()
    {
        var sections = ApiHeading().Matches(Repository.Read("docs/api.md")).ToDictionary(
            heading => heading.Groups["service"].Value,
            heading => (Port: int.Parse(heading.Groups["port"].Value, CultureInfo.InvariantCulture), Prefix: heading.Groups["prefix"].Value));

        var apis = Topology.Services.Where(service => service.Value.PathPattern != "/*").ToList();
        Assert.Equal(apis.Select(service => service.Key).Order(), sections.Keys.Order());
        foreach (var (service, topology) in apis)
        {
            Assert.Equal(topology.Port, sections[service].Port);
            Assert.Equal(topology.PathPattern.TrimEnd('/', '*'), sections[service].Prefix);
        }
    }

    // | inventory | 3001 | catalogue, ... | `/api/inventory/` |
    [GeneratedRegex(@"^\| (?<service>[a-z]+) \| (?<port>\d+) \| [^|]+ \| (?<path>[^|]+) \|$", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();

    // ## inventory — port 3001, prefix `/api/inventory`
    [GeneratedRegex(@"^## (?<service>[a-z]+) — port (?<port>\d+), prefix `(?<prefix>[^`]+)`$", RegexOptions.Multiline)]
    private static partial Regex ApiHeading();
}
