using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>The repository's files as deployment reads them, and the services' facts as the code states them.</summary>
public static partial class Repository
{
    public static readonly string Root = TestSupport.RepositoryRoot.Path;

    private static readonly Lazy<Task<JsonElement>> PlatformTemplate = new(() => DecodeTemplateAsync("deploy/cloudformation/platform.yaml"));

    /// <summary>Each service in deploy/topology.json, and its assembly.</summary>
    public static TheoryData<string, string> Services => ServicesWhere(_ => true);

    /// <summary>Each service with a database of its own, and its assembly.</summary>
    public static TheoryData<string, string> ServicesWithDatabase => ServicesWhere(service => service.Database);

    private static TheoryData<string, string> ServicesWhere(Func<ServiceTopology, bool> predicate)
    {
        var services = new TheoryData<string, string>();
        foreach (var (name, service) in Topology.Services.Where(entry => predicate(entry.Value)))
        {
            services.Add(name, service.Assembly);
        }

        return services;
    }

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    public static JsonElement ReadJson(string relativePath) => JsonDocument.Parse(Read(relativePath)).RootElement.Clone();

    /// <summary>A service's CloudFormation template, deploy/cloudformation/services/&lt;service&gt;.json (./dev generate writes it).</summary>
    public static JsonElement ServiceTemplate(string service) => ReadJson($"deploy/cloudformation/services/{service}.json");

    /// <summary>The properties of each resource of <paramref name="type"/> in a service's template.</summary>
    public static List<JsonElement> ServiceResources(string service, string type) =>
    [
        .. ServiceTemplate(service).GetProperty("Resources").EnumerateObject()
            .Where(resource => resource.Value.GetProperty("Type").GetString() == type)
            .Select(resource => resource.Value.GetProperty("Properties")),
    ];

    /// <summary>The properties of the one resource of <paramref name="type"/> in a service's template.</summary>
    public static JsonElement ServiceResource(string service, string type) => Assert.Single(ServiceResources(service, type));

    /// <summary>
    /// The platform's CloudFormation template as data, decoded by cfn-lint's own YAML loader (the lint test's), which
    /// gives the short forms as CloudFormation reads them: <c>!Ref X</c> is <c>{"Ref": "X"}</c>, <c>!Sub s</c> is
    /// <c>{"Fn::Sub": s}</c>. Decoded once per test run.
    /// </summary>
    public static Task<JsonElement> TemplateAsync() => PlatformTemplate.Value;

    /// <summary>
    /// What the service itself says it needs: started with an empty environment it stops with one message naming every
    /// missing variable ("X is required", or "X or X_ARN … is required" for a secret). Each entry lists the alternatives.
    /// </summary>
    public static async Task<List<string[]>> RequiredVariablesAsync(string service, string assembly)
    {
        var dll = Path.Combine(Root, "services", service, "bin", "Debug", "net10.0", $"{assembly}.dll");
        var (exitCode, output) = await RunAsync("dotnet", [dll], cleanEnvironment: true);
        Assert.Equal(1, exitCode);
        var required = RequirementLine().Matches(output).Select(m => m.Groups["names"].Value.Split(" or ")).ToList();
        Assert.NotEmpty(required);
        return required;
    }

    /// <summary>The names under the CloudFormation template's Outputs: deploy.sh fills the placeholder of the same name with each.</summary>
    public static HashSet<string> TemplateOutputs()
    {
        var template = Read("deploy/cloudformation/platform.yaml");
        return OutputLine().Matches(template[template.IndexOf("\nOutputs:", StringComparison.Ordinal)..])
            .Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A <c>${Name}</c> placeholder in the files under deploy/.</summary>
    [GeneratedRegex(@"\$\{(?<name>[A-Za-z]+)\}")]
    public static partial Regex Placeholder();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="cleanEnvironment">Start with only what running .NET needs (PATH, HOME, DOTNET_*), none of the stack's settings.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, bool cleanEnvironment = false)
    {
        var (exitCode, standardOutput, standardError) = await RunSeparatelyAsync(fileName, arguments, environment, cleanEnvironment);
        return (exitCode, standardOutput + standardError);
    }

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunSeparatelyAsync(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, bool cleanEnvironment = false)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (cleanEnvironment)
        {
            foreach (var name in start.Environment.Keys
                .Where(name => name is not ("PATH" or "HOME") && !name.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <remarks>
    /// <c>python3</c> from PATH is the interpreter cfn-lint is installed in (the system one may lack it). Without a
    /// <c>default</c> for json.dumps, anything the decoder returns that is not plain JSON fails here rather than
    /// arriving as a string.
    /// </remarks>
    private static async Task<JsonElement> DecodeTemplateAsync(string relativePath)
    {
        const string decode = "import json, sys; from cfnlint.decode import cfn_yaml; print(json.dumps(cfn_yaml.load(sys.argv[1])))";
        var (exitCode, json, error) = await RunSeparatelyAsync("python3", ["-c", decode, Path.Combine(Root, relativePath)]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"cfn-lint's decoder could not read {relativePath}: {error}");
        }

        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>A plain YAML file (not a template: no short forms) as data, by PyYAML's safe loader.</summary>
    public static async Task<JsonElement> ReadYamlAsync(string relativePath)
    {
        const string decode = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
        var (exitCode, json, error) = await RunSeparatelyAsync("python3", ["-c", decode, Path.Combine(Root, relativePath)]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{relativePath} is not YAML PyYAML reads: {error}");
        }

        return JsonDocument.Parse(json).RootElement.Clone();
    }

    [GeneratedRegex(@"^  (?<name>[A-Za-z]+): \{ Value:", RegexOptions.Multiline)]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"^  - (?<names>[A-Z][A-Z0-9_]+(?: or [A-Z][A-Z0-9_]+)?) ", RegexOptions.Multiline)]
    private static partial Regex RequirementLine();
}
