using System.Text.Json;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>docker-compose.yml against the code: what compose accepts, and what each service needs from it.</summary>
public sealed class ComposeTests
{
    private static readonly Lazy<Task<JsonElement>> Compose = new(LoadAsync);

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var (exitCode, output) = await Repository.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "--quiet"]);

        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Every_variable_the_service_requires_is_set_for_it_and_for_its_migrate_run(string service, string assembly)
    {
        var services = (await Compose.Value).GetProperty("services");
        // The migrate run validates the same configuration before it migrates.
        string[] runs = Topology.Services[service].Database ? [service, $"{service}-migrate"] : [service];

        foreach (var run in runs)
        {
            var environment = services.GetProperty(run).GetProperty("environment");
            foreach (var alternatives in await Repository.RequiredVariablesAsync(service, assembly))
            {
                Assert.True(alternatives.Any(name => environment.TryGetProperty(name, out _)),
                    $"{run} needs {string.Join(" or ", alternatives)} in docker-compose.yml");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task The_service_listens_on_its_port_checks_its_own_health_and_runs_hardened(string service, string assembly)
    {
        _ = assembly;
        var definition = (await Compose.Value).GetProperty("services").GetProperty(service);
        var port = Topology.Services[service].Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(port, definition.GetProperty("environment").GetProperty("PORT").GetString());
        Assert.Contains(port, definition.GetProperty("expose").EnumerateArray().Select(e => e.ToString()));
        Assert.Equal(["CMD", "/app/service", "healthcheck"],
            definition.GetProperty("healthcheck").GetProperty("test").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("services/Dockerfile", definition.GetProperty("build").GetProperty("dockerfile").GetString());
        Assert.Equal(service, definition.GetProperty("build").GetProperty("args").GetProperty("SERVICE").GetString());
        Assert.True(definition.GetProperty("read_only").GetBoolean());
        Assert.Equal(["ALL"], definition.GetProperty("cap_drop").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("no-new-privileges:true", definition.GetProperty("security_opt").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("/tmp", definition.GetProperty("tmpfs").EnumerateArray().Select(e => e.GetString()));
        foreach (var dependency in new[] { "postgres", "redis" })
        {
            Assert.Equal("service_healthy", definition.GetProperty("depends_on").GetProperty(dependency).GetProperty("condition").GetString());
        }
    }

    [Fact]
    public async Task The_load_balancers_rules_are_generated_from_the_topology()
    {
        var (exitCode, output) = await Repository.RunAsync("bash", ["dev", "generate", "--check"]);

        Assert.True(exitCode == 0, output);
        var config = Repository.Read("deploy/local/haproxy.cfg");
        foreach (var (service, declared) in Topology.Services)
        {
            // /* is what no other service's path takes: the ALB's last rule, haproxy's default backend.
            Assert.Contains(declared.PathPattern == "/*"
                ? $"default_backend {service}\n"
                : $"acl is_{service} path_beg {declared.PathPattern.TrimEnd('*')}\n", config, StringComparison.Ordinal);
            Assert.Contains($"server {service}1 {service}:{declared.Port} check", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_run_of_a_service_connects_as_that_service_and_each_database_is_migrated_and_given_its_demo_data()
    {
        var services = (await Compose.Value).GetProperty("services");
        var checkedRuns = new List<string>();
        foreach (var (name, definition) in services.EnumerateObject().Select(s => (s.Name, s.Value)))
        {
            if (!definition.TryGetProperty("build", out var build) || !build.TryGetProperty("args", out var args))
            {
                continue;
            }

            checkedRuns.Add(name);

            // The service's own PostgreSQL role and Redis user, and no other's (a migrate run once had another's REDIS_URL).
            var service = args.GetProperty("SERVICE").GetString()!;
            var environment = definition.GetProperty("environment");
            Assert.Equal(Topology.Services[service].Database, environment.TryGetProperty("DB_USER", out var user));
            Assert.Equal(Topology.Services[service].Redis, environment.TryGetProperty("REDIS_URL", out var redis));
            Assert.True(!Topology.Services[service].Database || user.GetString() == service, $"{name} connects to PostgreSQL as {user}");
            Assert.True(!Topology.Services[service].Redis || redis.GetString()!.StartsWith($"redis://{service}:", StringComparison.Ordinal),
                $"{name} connects to Redis as {redis}");
        }

        // Every service and every migrate run was one of them.
        var runs = Topology.Services.Keys.Concat(Topology.Services.Where(s => s.Value.Database).Select(s => $"{s.Key}-migrate"));
        Assert.Equal(runs.Order(StringComparer.Ordinal), checkedRuns.Order(StringComparer.Ordinal));
        foreach (var service in Topology.Services.Where(s => s.Value.Database).Select(s => s.Key))
        {
            var migrate = services.GetProperty($"{service}-migrate");
            Assert.Equal(["migrate", "demo-data"], migrate.GetProperty("command").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("service_completed_successfully",
                services.GetProperty(service).GetProperty("depends_on").GetProperty($"{service}-migrate").GetProperty("condition").GetString());
        }
    }

    [Fact]
    public async Task The_services_use_the_topologys_buckets_and_queues()
    {
        foreach (var service in Topology.Services.Keys)
        {
            var environment = (await Compose.Value).GetProperty("services").GetProperty(service).GetProperty("environment");
            foreach (var (variable, name) in Topology.Buckets.Concat(Topology.Queues))
            {
                Assert.Equal(name, environment.GetProperty(variable).GetString());
            }
        }
    }

    [Fact]
    public async Task Haproxy_accepts_its_configuration()
    {
        var (exitCode, output) = await Repository.RunAsync("haproxy", ["-c", "-f", "deploy/local/haproxy.cfg"]);

        Assert.True(exitCode == 0, output);
    }

    private static async Task<JsonElement> LoadAsync()
    {
        var (exitCode, yaml) = await Repository.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"]);
        Assert.True(exitCode == 0, yaml);
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, yaml);
        try
        {
            // docker-compose's own YAML library (python3-yaml, installed with it) turns its normalised output into JSON.
            var (converted, json) = await Repository.RunAsync("/usr/bin/python3",
                ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", path]);
            Assert.True(converted == 0, json);
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
