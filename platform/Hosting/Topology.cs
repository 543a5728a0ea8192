using System.Text.Json;

namespace Platform.Hosting;

/// <summary>
/// <c>deploy/topology.json</c>, built into the platform: the services with their ports and routes, and the queues and
/// buckets they share. The local stack, docker compose, the load balancer's rules and the deployment read the same file.
/// </summary>
public static class Topology
{
    private static readonly Lazy<TopologyDocument> Document = new(Load);

    public static IReadOnlyDictionary<string, ServiceTopology> Services => Document.Value.Services;

    public static IReadOnlyDictionary<string, string> Buckets => Document.Value.Buckets;

    public static IReadOnlyDictionary<string, string> Queues => Document.Value.Queues;

    private static TopologyDocument Load()
    {
        using var stream = typeof(Topology).Assembly.GetManifestResourceStream("topology.json")
            ?? throw new InvalidOperationException("The platform was built without deploy/topology.json.");
        return JsonSerializer.Deserialize<TopologyDocument>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("deploy/topology.json is empty.");
    }

    private sealed record TopologyDocument(
        Dictionary<string, ServiceTopology> Services, Dictionary<string, string> Buckets, Dictionary<string, string> Queues);
}

/// <summary>
/// One deployable: its assembly, the port it listens on, its path on the load balancer (<c>/*</c>: everything no other
/// service's path takes, at the lowest priority), its names on AWS, and whether it has a database and a Redis user of
/// its own.
/// </summary>
public sealed record ServiceTopology(
    string Assembly, int Port, string PathPattern, int ListenerPriority, string LogGroup, string ImageRepository, bool Database, bool Redis);
