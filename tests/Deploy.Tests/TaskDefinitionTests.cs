using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>deploy/ecs-task-defs/ against the code, the Dockerfiles, the load balancer's settings and the seeds.</summary>
public sealed partial class TaskDefinitionTests
{
    private static JsonElement TaskDefinition(string service) => Repository.ReadJson($"deploy/ecs-task-defs/{service}.json");

    private static JsonElement App(string service) =>
        TaskDefinition(service).GetProperty("containerDefinitions").EnumerateArray().Single(c => c.GetProperty("name").GetString() == service);

    private static JsonElement Collector(string service) =>
        TaskDefinition(service).GetProperty("containerDefinitions").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "aws-otel-collector");

    private static Dictionary<string, string> Environment(string service) =>
        App(service).GetProperty("environment").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString()!);

    private static Dictionary<string, string> InjectedSecrets(string service) =>
        App(service).TryGetProperty("secrets", out var secrets)
            ? secrets.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("valueFrom").GetString()!)
            : [];

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void The_service_runs_on_fargate_on_its_port_from_the_seeds_repository(string service, string assembly)
    {
        _ = assembly;
        var definition = TaskDefinition(service);
        var app = App(service);
        var port = Topology.Services[service].Port;

        // One family per environment: staging's revisions never become the latest of production's family.
        Assert.Equal($"mycomputer-${{EnvironmentName}}-{service}", definition.GetProperty("family").GetString());
        Assert.Equal(["FARGATE"], definition.GetProperty("requiresCompatibilities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("awsvpc", definition.GetProperty("networkMode").GetString());
        // The seed's task size: 512 CPU units and 1024 MB.
        Assert.Equal("512", definition.GetProperty("cpu").GetString());
        Assert.Equal("1024", definition.GetProperty("memory").GetString());
        Assert.Equal(port, app.GetProperty("portMappings")[0].GetProperty("containerPort").GetInt32());
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture), Environment(service)["PORT"]);
        Assert.Equal($"${{AccountId}}.dkr.ecr.${{Region}}.amazonaws.com/{Topology.Services[service].ImageRepository}:${{ImageTag}}",
            app.GetProperty("image").GetString());
        Assert.True(app.GetProperty("essential").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Every_variable_the_service_requires_is_set_or_injected_from_secrets_manager(string service, string assembly)
    {
        var given = Environment(service).Keys.Concat(InjectedSecrets(service).Keys).ToHashSet(StringComparer.Ordinal);

        foreach (var alternatives in await Repository.RequiredVariablesAsync(service, assembly))
        {
            Assert.True(alternatives.Any(given.Contains), $"{service} needs {string.Join(" or ", alternatives)} in its task definition");
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Secrets_come_from_secrets_manager_and_no_secret_value_is_written_in_the_definition(string service, string assembly)
    {
        _ = assembly;
        var outputs = Repository.TemplateOutputs();
        var environment = Environment(service);

        // ECS injects these (valueFrom); the *_ARN ones the service reads itself, so a rotation needs no restart.
        var arns = InjectedSecrets(service).Values
            .Concat(environment.Where(e => e.Key.EndsWith("_ARN", StringComparison.Ordinal)).Select(e => e.Value)).ToList();
        Assert.NotEmpty(arns);
        foreach (var arn in arns)
        {
            var output = Repository.Placeholder().Match(arn);
            Assert.True(output.Success && output.Value == arn && outputs.Contains(output.Groups["name"].Value),
                $"{arn} should be one of the stack's secret ARNs");
        }

        foreach (var secret in new[] { "DB_PASSWORD", "REDIS_URL", "JWT_SECRET", "STRIPE_SECRET_KEY", "WEBHOOK_ENDPOINT_SECRET", "ADMIN_PASSWORD" })
        {
            Assert.False(environment.ContainsKey(secret), $"{secret} must not be a plain environment value");
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Logs_go_to_the_stacks_log_group_which_has_the_seeds_name_in_production_and_keeps_30_days(string service, string assembly)
    {
        _ = assembly;
        var production = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });

        foreach (var container in TaskDefinition(service).GetProperty("containerDefinitions").EnumerateArray())
        {
            var logging = container.GetProperty("logConfiguration");
            Assert.Equal("awslogs", logging.GetProperty("logDriver").GetString());
            Assert.Equal("${Region}", logging.GetProperty("options").GetProperty("awslogs-region").GetString());

            // The group is the stack's output of that name (another environment in the account has its own groups).
            var placeholder = Repository.Placeholder().Match(logging.GetProperty("options").GetProperty("awslogs-group").GetString()!);
            Assert.True(placeholder.Success && placeholder.Index == 0, "awslogs-group should be a stack output's placeholder");
            var output = production.Output(placeholder.Groups["name"].Value);
            var logGroup = production.Resources.GetProperty(output.GetProperty("Ref").GetString()!);
            Assert.Equal("AWS::Logs::LogGroup", logGroup.GetProperty("Type").GetString());
            Assert.Equal(Topology.Services[service].LogGroup, production.Text(production.Property(logGroup, "LogGroupName")!.Value));
            Assert.Equal(30, production.Property(logGroup, "RetentionInDays")!.Value.GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void The_health_check_is_the_images_own_and_stopping_outlasts_the_drain(string service, string assembly)
    {
        _ = assembly;
        var app = App(service);
        var environment = Environment(service);
        var targetGroup = Repository.ServiceResource(service, "AWS::ElasticLoadBalancingV2::TargetGroup");

        var dockerfileCheck = HealthCheckCommand().Match(Repository.Read("services/Dockerfile")).Groups["command"].Value;
        var command = app.GetProperty("healthCheck").GetProperty("command").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal("CMD", command[0]);
        Assert.Equal(JsonSerializer.Deserialize<string[]>(dockerfileCheck), command.Skip(1));
        Assert.Equal(["CMD", "/app/service", "healthcheck"], command);

        // On SIGTERM the service answers 503 on /health for the drain, so the ALB takes it out of rotation first...
        var drain = int.Parse(environment["DRAIN_DELAY_SECONDS"], CultureInfo.InvariantCulture);
        var shutdown = int.Parse(environment["SHUTDOWN_TIMEOUT_SECONDS"], CultureInfo.InvariantCulture);
        var detection = targetGroup.GetProperty("HealthCheckIntervalSeconds").GetInt32() * targetGroup.GetProperty("UnhealthyThresholdCount").GetInt32();
        Assert.True(drain >= detection, $"the drain ({drain} s) should outlast the ALB's detection of a 503 ({detection} s)");
        // ...then finishes in-flight work, all before ECS's SIGKILL.
        var stopTimeout = app.GetProperty("stopTimeout").GetInt32();
        Assert.True(stopTimeout > drain + shutdown && stopTimeout <= 120, $"stopTimeout {stopTimeout} s should exceed drain + shutdown ({drain + shutdown} s)");
        // A target ECS deregisters keeps its in-flight requests for the deregistration delay, as long as the app allows them.
        var deregistration = targetGroup.GetProperty("TargetGroupAttributes").EnumerateArray()
            .Single(a => a.GetProperty("Key").GetString() == "deregistration_delay.timeout_seconds").GetProperty("Value").GetString();
        Assert.InRange(int.Parse(deregistration!, CultureInfo.InvariantCulture), shutdown, stopTimeout);
    }

    [Theory]
    [MemberData(nameof(Repository.ServicesWithDatabase), MemberType = typeof(Repository))]
    public void The_database_connection_checks_the_servers_certificate_against_the_rds_authorities_the_image_carries(string service, string assembly)
    {
        _ = assembly;
        var environment = Environment(service);
        var dockerfile = Repository.Read("services/Dockerfile");

        // Require would encrypt but believe any server that answers for the database's name.
        Assert.Equal("VerifyFull", environment["DB_SSL_MODE"]);
        var bundle = environment["DB_ROOT_CERTIFICATE"];
        var runtime = dockerfile[dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        Assert.Contains($"ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem {bundle}\n", runtime, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Forwarded_headers_are_believed_from_the_vpcs_own_addresses_alone(string service, string assembly)
    {
        _ = assembly;
        var production = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });

        // The load balancer and Service Connect's proxies are in the VPC; a peer outside it could claim any client address.
        Assert.Equal("${VpcCidr}", Environment(service)["TRUSTED_PROXY_NETWORKS"]);
        Assert.Equal("<Vpc.CidrBlock>", production.Text(production.Output("VpcCidr")));
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void The_root_filesystem_is_read_only_with_a_writable_tmp(string service, string assembly)
    {
        _ = assembly;
        var app = App(service);
        var volumes = TaskDefinition(service).GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToList();

        Assert.True(app.GetProperty("readonlyRootFilesystem").GetBoolean());
        Assert.True(Collector(service).GetProperty("readonlyRootFilesystem").GetBoolean());
        var tmp = app.GetProperty("mountPoints").EnumerateArray().Single(m => m.GetProperty("containerPath").GetString() == "/tmp");
        Assert.Contains(tmp.GetProperty("sourceVolume").GetString(), volumes);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Traces_and_metrics_go_to_the_collector_sidecar_and_on_to_xray_and_cloudwatch(string service, string assembly)
    {
        _ = assembly;
        var environment = Environment(service);
        var collector = Collector(service);
        var config = Repository.Read("deploy/otel-collector.yaml");

        Assert.StartsWith("public.ecr.aws/aws-observability/aws-otel-collector:v", collector.GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.False(collector.GetProperty("essential").GetBoolean());
        // One home for the collector's configuration: deploy.sh puts deploy/otel-collector.yaml into AOT_CONFIG_CONTENT.
        Assert.False(collector.TryGetProperty("environment", out _), "the task definition should not carry a copy of the collector's configuration");
        var receiver = CollectorReceiver().Match(config);
        Assert.True(receiver.Success, "the collector should receive OTLP over gRPC");
        Assert.Equal($"http://localhost:{receiver.Groups["port"].Value}", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Matches(@"traces:\s+receivers: \[otlp\]\s+processors: \[batch\]\s+exporters: \[awsxray\]", config);
        Assert.Matches(@"metrics:\s+receivers: \[otlp\]\s+processors: \[batch\]\s+exporters: \[awsemf\]", config);
        Assert.Contains("namespace: MyComputer/Application", config, StringComparison.Ordinal);
        Assert.Contains("dimensions: [[service.name]]", config, StringComparison.Ordinal);
        Assert.Equal("0.1", environment["OTEL_TRACES_SAMPLER_ARG"]);
        // Logs leave through awslogs; the collector, with no logs pipeline, would refuse every batch.
        Assert.Equal("none", environment["OTEL_LOGS_EXPORTER"]);
        Assert.Equal(service, environment["OTEL_SERVICE_NAME"]);
        Assert.Contains(App(service).GetProperty("dependsOn").EnumerateArray(), d => d.GetProperty("containerName").GetString() == "aws-otel-collector");
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task The_roles_and_the_seeds_tags_are_set(string service, string assembly)
    {
        _ = assembly;
        var definition = TaskDefinition(service);
        var production = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });
        var roles = production.Created("AWS::IAM::Role").Select(r => production.Text(production.Property(r.Resource, "RoleName")!.Value)).ToList();

        const string Roles = "arn:${Partition}:iam::${AccountId}:role";
        Assert.Equal($"{Roles}/mycomputer-${{EnvironmentName}}-{service}-task", definition.GetProperty("taskRoleArn").GetString());
        Assert.Equal($"{Roles}/mycomputer-${{EnvironmentName}}-task-execution", definition.GetProperty("executionRoleArn").GetString());
        Assert.Contains($"mycomputer-production-{service}-task", roles);
        Assert.Contains("mycomputer-production-task-execution", roles);
        Assert.Equal(["Environment", "Application", "Team", "CostCenter", "ManagedBy", "Owner"],
            definition.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("key").GetString()));
    }

    [GeneratedRegex(@"HEALTHCHECK .* CMD (?<command>\[.*\])")]
    private static partial Regex HealthCheckCommand();

    [GeneratedRegex(@"grpc:\s+endpoint: 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex CollectorReceiver();
}
