using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>
/// deploy/deploy.sh against an AWS emulator of its own, in which the platform stack's network, load balancer and
/// cluster were built first: a deploy of v1, then a rolling update to v2.
/// </summary>
public sealed class DeployScriptTests(DeployScriptTests.EmulatedAccount account) : IClassFixture<DeployScriptTests.EmulatedAccount>
{
    private static readonly string[] ServiceNames = [.. Topology.Services.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void The_first_deploy_registers_each_task_definition_and_creates_its_service_behind_its_target_group()
    {
        var first = account.FirstDeploy;
        Assert.True(first.ExitCode == 0, first.Output);

        foreach (var service in ServiceNames)
        {
            var port = Topology.Services[service].Port;
            var definition = first.TaskDefinitions[service];
            Assert.Equal(1, definition.GetProperty("revision").GetInt32());
            Assert.EndsWith($"/{Topology.Services[service].ImageRepository}:v1",
                definition.GetProperty("containerDefinitions")[0].GetProperty("image").GetString(), StringComparison.Ordinal);

            var targetGroup = first.TargetGroups[$"production-{service}"];
            Assert.Equal(port, targetGroup.GetProperty("Port").GetInt32());
            Assert.Equal("ip", targetGroup.GetProperty("TargetType").GetString());
            Assert.Equal("/health", targetGroup.GetProperty("HealthCheckPath").GetString());

            var ecsService = first.Services[service];
            Assert.Equal("ACTIVE", ecsService.GetProperty("status").GetString());
            Assert.Equal(definition.GetProperty("taskDefinitionArn").GetString(), ecsService.GetProperty("taskDefinition").GetString());
            Assert.Equal(2, ecsService.GetProperty("desiredCount").GetInt32());
            Assert.Equal("FARGATE", ecsService.GetProperty("launchType").GetString());
            var loadBalancer = ecsService.GetProperty("loadBalancers")[0];
            Assert.Equal(targetGroup.GetProperty("TargetGroupArn").GetString(), loadBalancer.GetProperty("targetGroupArn").GetString());
            Assert.Equal(service, loadBalancer.GetProperty("containerName").GetString());
            Assert.Equal(port, loadBalancer.GetProperty("containerPort").GetInt32());

            // Fargate spreads a service's tasks over the availability zones of its subnets.
            var subnets = ecsService.GetProperty("networkConfiguration").GetProperty("awsvpcConfiguration").GetProperty("subnets").EnumerateArray()
                .Select(s => s.GetString()!);
            Assert.Equal(3, subnets.Select(subnet => first.SubnetZones[subnet]).Distinct().Count());
        }
    }

    [Fact]
    public void Each_collector_sidecar_is_registered_with_deploy_otel_collector_yaml_rendered_for_the_environment()
    {
        var first = account.FirstDeploy;
        Assert.True(first.ExitCode == 0, first.Output);
        var expected = Repository.Read("deploy/otel-collector.yaml")
            .Replace("${EnvironmentName}", account.StackOutputs["EnvironmentName"], StringComparison.Ordinal);

        foreach (var service in ServiceNames)
        {
            var collector = first.TaskDefinitions[service].GetProperty("containerDefinitions").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == "aws-otel-collector");
            var config = collector.GetProperty("environment").EnumerateArray()
                .Single(e => e.GetProperty("name").GetString() == "AOT_CONFIG_CONTENT").GetProperty("value").GetString();
            Assert.Equal(expected, config);
        }
    }

    [Fact]
    public void The_listener_routes_each_path_to_its_service_at_its_priority()
    {
        var first = account.FirstDeploy;
        Assert.True(first.ExitCode == 0, first.Output);

        foreach (var service in ServiceNames)
        {
            var rule = first.Rules.Single(r => r.GetProperty("Priority").GetString()
                == Topology.Services[service].ListenerPriority.ToString(CultureInfo.InvariantCulture));
            var path = rule.GetProperty("Conditions")[0].GetProperty("PathPatternConfig").GetProperty("Values")[0].GetString();
            Assert.Equal(Topology.Services[service].PathPattern, path);
            Assert.Equal(first.TargetGroups[$"production-{service}"].GetProperty("TargetGroupArn").GetString(),
                rule.GetProperty("Actions")[0].GetProperty("TargetGroupArn").GetString());
        }
    }

    [Fact]
    public void Each_service_scales_from_2_to_10_on_cpu_memory_and_requests_and_alarms_on_unhealthy_targets()
    {
        var first = account.FirstDeploy;
        Assert.True(first.ExitCode == 0, first.Output);

        foreach (var service in ServiceNames)
        {
            var resource = $"service/mycomputer-production/{service}";
            var target = first.ScalableTargets.Single(t => t.GetProperty("ResourceId").GetString() == resource);
            // Never fewer than two tasks: scaling in must not leave a service in one availability zone.
            Assert.Equal(2, target.GetProperty("MinCapacity").GetInt32());
            Assert.Equal(10, target.GetProperty("MaxCapacity").GetInt32());
            var policies = first.ScalingPolicies.Where(p => p.GetProperty("ResourceId").GetString() == resource)
                .Select(p => p.GetProperty("TargetTrackingScalingPolicyConfiguration")).ToList();
            Assert.Equal(3, policies.Count);
            var requests = policies.Single(p =>
                p.GetProperty("PredefinedMetricSpecification").GetProperty("PredefinedMetricType").GetString() == "ALBRequestCountPerTarget");
            // The request count is per target group: app/<load balancer>/<id>/targetgroup/<name>/<id>.
            Assert.EndsWith(first.TargetGroups[$"production-{service}"].GetProperty("TargetGroupArn").GetString()!.Split(':')[^1],
                requests.GetProperty("PredefinedMetricSpecification").GetProperty("ResourceLabel").GetString(), StringComparison.Ordinal);

            Assert.Contains($"mycomputer-production-{service}-unhealthy-targets", first.AlarmNames);
        }
    }

    [Fact]
    public void A_second_deploy_with_a_new_tag_is_a_rolling_update_to_a_new_revision()
    {
        var second = account.SecondDeploy;
        Assert.True(second.ExitCode == 0, second.Output);

        foreach (var service in ServiceNames)
        {
            var definition = second.TaskDefinitions[service];
            Assert.Equal(2, definition.GetProperty("revision").GetInt32());
            Assert.EndsWith($":v2", definition.GetProperty("containerDefinitions")[0].GetProperty("image").GetString(), StringComparison.Ordinal);
            Assert.Equal(definition.GetProperty("taskDefinitionArn").GetString(), second.Services[service].GetProperty("taskDefinition").GetString());
        }

        // Target groups, rules and services were updated in place, not duplicated.
        Assert.Equal(account.FirstDeploy.TargetGroups.Keys.Order(), second.TargetGroups.Keys.Order());
        Assert.Equal(account.FirstDeploy.Rules.Count, second.Rules.Count);
        Assert.Equal(ServiceNames.Length * 3, second.ScalingPolicies.Count);
    }

    [Fact]
    public async Task A_deploy_missing_a_setting_names_it_and_changes_nothing()
    {
        var before = await account.AwsAsync("ecs", "list-task-definitions");

        var (exitCode, output) = await account.DeployAsync("v3", without: "DatabaseHost");

        Assert.Equal(1, exitCode);
        Assert.Contains("no value for: DatabaseHost", output, StringComparison.Ordinal);
        var after = await account.AwsAsync("ecs", "list-task-definitions");
        Assert.Equal(before.GetProperty("taskDefinitionArns").GetArrayLength(), after.GetProperty("taskDefinitionArns").GetArrayLength());
    }

    [Fact]
    public async Task An_invalid_image_tag_is_refused()
    {
        var (exitCode, output) = await account.DeployAsync("v1; rm -rf /");

        Assert.Equal(1, exitCode);
        Assert.Contains("is not a valid image tag", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_emulated_stack_gives_exactly_the_outputs_the_template_declares()
    {
        Assert.Equal(Repository.TemplateOutputs().Order(), account.StackOutputs.Keys.Order());
    }

    /// <summary>What the emulator holds after a deploy.</summary>
    public sealed record DeployState(
        int ExitCode,
        string Output,
        Dictionary<string, JsonElement> TaskDefinitions,
        Dictionary<string, JsonElement> Services,
        Dictionary<string, JsonElement> TargetGroups,
        List<JsonElement> Rules,
        List<JsonElement> ScalableTargets,
        List<JsonElement> ScalingPolicies,
        HashSet<string> AlarmNames,
        Dictionary<string, string> SubnetZones);

    /// <summary>
    /// An emulator on a port of its own (its ECS services report their desired tasks running, as a healthy cluster
    /// would), the platform stack's resources built in it, and two deploys.
    /// </summary>
    public sealed class EmulatedAccount : IAsyncLifetime
    {
        private readonly Process _emulator;
        private readonly string _endpoint;

        public EmulatedAccount()
        {
            var port = Repository.FreePort();
            _endpoint = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["MOTO_ECS_SERVICE_RUNNING"] = "2";
            _emulator = Process.Start(start)!;
            _emulator.OutputDataReceived += (_, _) => { };
            _emulator.ErrorDataReceived += (_, _) => { };
            _emulator.BeginOutputReadLine();
            _emulator.BeginErrorReadLine();
        }

        public Dictionary<string, string> StackOutputs { get; private set; } = [];

        public DeployState FirstDeploy { get; private set; } = null!;

        public DeployState SecondDeploy { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    (await http.GetAsync($"{_endpoint}/moto-api/")).EnsureSuccessStatusCode();
                    break;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }

            var (exitCode, output) = await Repository.RunAsync("python3",
                [Path.Combine(Repository.Root, "tests/Deploy.Tests/emulated_stack.py")], Environment());
            Assert.True(exitCode == 0, output);
            StackOutputs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

            FirstDeploy = await DeployAndReadAsync("v1");
            SecondDeploy = await DeployAndReadAsync("v2");
        }

        public Task DisposeAsync()
        {
            _emulator.Kill(entireProcessTree: true);
            _emulator.Dispose();
            return Task.CompletedTask;
        }

        public Task<(int ExitCode, string Output)> DeployAsync(string tag, string? without = null)
        {
            var environment = Environment();
            foreach (var (name, value) in StackOutputs)
            {
                environment[name] = name == without ? null : value;
            }

            return Repository.RunAsync(Path.Combine(Repository.Root, "deploy/deploy.sh"), [tag], environment);
        }

        public async Task<JsonElement> AwsAsync(params string[] arguments)
        {
            var (exitCode, output) = await Repository.RunAsync("aws", [.. arguments, "--output", "json"], Environment());
            Assert.True(exitCode == 0, output);
            return JsonDocument.Parse(output).RootElement.Clone();
        }

        private async Task<DeployState> DeployAndReadAsync(string tag)
        {
            var (exitCode, output) = await DeployAsync(tag);
            var cluster = StackOutputs["ClusterName"];

            var taskDefinitions = new Dictionary<string, JsonElement>();
            foreach (var service in ServiceNames)
            {
                taskDefinitions[service] = (await AwsAsync("ecs", "describe-task-definition", "--task-definition",
                    $"mycomputer-{StackOutputs["EnvironmentName"]}-{service}")).GetProperty("taskDefinition");
            }

            var services = (await AwsAsync(["ecs", "describe-services", "--cluster", cluster, "--services", .. ServiceNames])).GetProperty("services")
                .EnumerateArray().ToDictionary(s => s.GetProperty("serviceName").GetString()!);
            var targetGroups = (await AwsAsync("elbv2", "describe-target-groups")).GetProperty("TargetGroups")
                .EnumerateArray().ToDictionary(t => t.GetProperty("TargetGroupName").GetString()!);
            var rules = (await AwsAsync("elbv2", "describe-rules", "--listener-arn", StackOutputs["HttpsListenerArn"])).GetProperty("Rules")
                .EnumerateArray().Where(r => !r.GetProperty("IsDefault").GetBoolean()).ToList();
            var scalableTargets = (await AwsAsync("application-autoscaling", "describe-scalable-targets", "--service-namespace", "ecs"))
                .GetProperty("ScalableTargets").EnumerateArray().ToList();
            var policies = (await AwsAsync("application-autoscaling", "describe-scaling-policies", "--service-namespace", "ecs"))
                .GetProperty("ScalingPolicies").EnumerateArray().ToList();
            var alarms = (await AwsAsync("cloudwatch", "describe-alarms")).GetProperty("MetricAlarms").EnumerateArray()
                .Select(a => a.GetProperty("AlarmName").GetString()!).ToHashSet();
            var zones = (await AwsAsync("ec2", "describe-subnets")).GetProperty("Subnets").EnumerateArray()
                .ToDictionary(s => s.GetProperty("SubnetId").GetString()!, s => s.GetProperty("AvailabilityZone").GetString()!);

            return new DeployState(exitCode, output, taskDefinitions, services, targetGroups, rules, scalableTargets, policies, alarms, zones);
        }

        private Dictionary<string, string?> Environment() => new()
        {
            ["AWS_ENDPOINT_URL"] = _endpoint,
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
        };
    }
}
