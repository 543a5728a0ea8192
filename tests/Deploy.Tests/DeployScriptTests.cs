using System.Globalization;
using System.Text.Json;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>
/// deploy/deploy.sh against an AWS emulator in which deploy/cloudformation/platform.yaml itself was created first: a
/// deploy of v1, then a rolling update to v2, each the services' stacks created or updated.
/// </summary>
public sealed class DeployScriptTests(DeployScriptTests.EmulatedAccount account) : IClassFixture<DeployScriptTests.EmulatedAccount>
{
    private static readonly string[] ServiceNames = [.. Topology.Services.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void The_first_deploy_creates_each_services_stack_with_its_task_definition_service_target_group_and_rule()
    {
        var first = account.FirstDeploy;
        Assert.True(first.ExitCode == 0, first.Output);

        foreach (var service in ServiceNames)
        {
            var stack = first.Stacks[service];
            Assert.Equal("CREATE_COMPLETE", stack.Status);
            // Everything the service's template declares is in its stack.
            Assert.Equal(Repository.ServiceTemplate(service).GetProperty("Resources").EnumerateObject().Select(r => r.Name).Order(),
                stack.Resources.Keys.Order());

            var definition = first.TaskDefinitions[service];
            Assert.Equal(stack.Resources[$"{Pascal(service)}TaskDefinition"], definition.GetProperty("taskDefinitionArn").GetString());
            Assert.EndsWith($"/{Topology.Services[service].ImageRepository}:v1",
                definition.GetProperty("containerDefinitions")[0].GetProperty("image").GetString(), StringComparison.Ordinal);

            var ecsService = first.Services[service];
            Assert.Equal("ACTIVE", ecsService.GetProperty("status").GetString());
            // The template names no count: autoscaling's minimum gives it.
            Assert.Equal(2, ecsService.GetProperty("desiredCount").GetInt32());
            Assert.Equal(definition.GetProperty("taskDefinitionArn").GetString(), ecsService.GetProperty("taskDefinition").GetString());

            var targetGroup = first.TargetGroups[$"production-{service}"];
            Assert.Equal(stack.Resources[$"{Pascal(service)}TargetGroup"], targetGroup.GetProperty("TargetGroupArn").GetString());
            Assert.Equal(Topology.Services[service].Port, targetGroup.GetProperty("Port").GetInt32());
            Assert.Equal("/health", targetGroup.GetProperty("HealthCheckPath").GetString());

            var rule = first.Rules.Single(r => r.GetProperty("Priority").GetString()
                == Topology.Services[service].ListenerPriority.ToString(CultureInfo.InvariantCulture));
            var path = rule.GetProperty("Conditions")[0].GetProperty("PathPatternConfig").GetProperty("Values")[0].GetString();
            Assert.Equal(Topology.Services[service].PathPattern, path);
            Assert.Equal(targetGroup.GetProperty("TargetGroupArn").GetString(), rule.GetProperty("Actions")[0].GetProperty("TargetGroupArn").GetString());
        }
    }

    [Fact]
    public void The_migrations_of_each_service_with_a_database_run_as_a_one_off_task_before_any_stack_changes()
    {
        var first = account.FirstDeploy;
        Assert.True(first.ExitCode == 0, first.Output);

        var migrated = Topology.Services.Where(s => s.Value.Database).Select(s => $"mycomputer-production-{s.Key}-migrate").Order();
        Assert.Equal(migrated, first.MigrateTasks.Select(t => Family(t.GetProperty("taskDefinitionArn").GetString()!)).Order());
        foreach (var task in first.MigrateTasks)
        {
            Assert.Equal("STOPPED", task.GetProperty("lastStatus").GetString());
            Assert.All(task.GetProperty("containers").EnumerateArray(), c => Assert.Equal(0, c.GetProperty("exitCode").GetInt32()));
        }

        // Every migrate task had stopped, each exiting 0, before the first stack was touched.
        var applied = first.Output.IndexOf("Migrations applied", StringComparison.Ordinal);
        var firstStack = first.Output.IndexOf(": stack mycomputer-production-", StringComparison.Ordinal);
        Assert.InRange(applied, 0, firstStack);
    }

    [Fact]
    public async Task Each_service_runs_in_the_private_subnets_one_in_each_of_three_availability_zones()
    {
        var subnets = account.Platform.StackOutputs["PrivateSubnets"].Split(',');
        var described = (await account.Platform.AwsAsync(["ec2", "describe-subnets", "--subnet-ids", .. subnets])).GetProperty("Subnets");

        // Fargate spreads a service's tasks over the zones of its subnets: with two tasks at the least, never one zone.
        Assert.Equal(3, described.EnumerateArray().Select(s => s.GetProperty("AvailabilityZone").GetString()).Distinct().Count());
        Assert.All(described.EnumerateArray(), s => Assert.False(s.GetProperty("MapPublicIpOnLaunch").GetBoolean()));
        foreach (var service in ServiceNames)
        {
            var network = Repository.ServiceResource(service, "AWS::ECS::Service").GetProperty("NetworkConfiguration").GetProperty("AwsvpcConfiguration");
            Assert.Equal("""{"Fn::Split":[",",{"Ref":"PrivateSubnets"}]}""", JsonSerializer.Serialize(network.GetProperty("Subnets")));
        }
    }

    [Fact]
    public void Each_collector_sidecar_is_registered_with_deploy_otel_collector_yaml_rendered_for_the_environment()
    {
        var first = account.FirstDeploy;
        Assert.True(first.ExitCode == 0, first.Output);
        var expected = Repository.Read("deploy/otel-collector.yaml")
            .Replace("${EnvironmentName}", account.Platform.StackOutputs["EnvironmentName"], StringComparison.Ordinal);

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
            var targetGroupArn = first.TargetGroups[$"production-{service}"].GetProperty("TargetGroupArn").GetString()!;
            var loadBalancerArn = account.Platform.StackOutputs["LoadBalancerArn"];
            Assert.Equal($"{loadBalancerArn.Split(":loadbalancer/")[1]}/{targetGroupArn.Split(':')[^1]}",
                requests.GetProperty("PredefinedMetricSpecification").GetProperty("ResourceLabel").GetString());

            foreach (var alarm in new[] { "unhealthy-targets", "CPU", "Memory" })
            {
                var actions = first.Alarms[$"mycomputer-production-{service}-{alarm}"].GetProperty("AlarmActions").EnumerateArray().Select(a => a.GetString());
                Assert.Equal([account.Platform.StackOutputs["AlarmTopicArn"]], actions);
            }
        }
    }

    [Fact]
    public void A_second_deploy_with_a_new_tag_updates_each_stack_to_a_new_revision_in_place()
    {
        var second = account.SecondDeploy;
        Assert.True(second.ExitCode == 0, second.Output);

        foreach (var service in ServiceNames)
        {
            Assert.Equal("UPDATE_COMPLETE", second.Stacks[service].Status);
            var definition = second.TaskDefinitions[service];
            Assert.Equal(2, definition.GetProperty("revision").GetInt32());
            Assert.EndsWith(":v2", definition.GetProperty("containerDefinitions")[0].GetProperty("image").GetString(), StringComparison.Ordinal);
            Assert.Equal(definition.GetProperty("taskDefinitionArn").GetString(), second.Services[service].GetProperty("taskDefinition").GetString());
        }

        // Target groups, rules, scaling and alarms were updated in place, not duplicated; the migrations ran again.
        Assert.Equal(account.FirstDeploy.TargetGroups.Keys.Order(), second.TargetGroups.Keys.Order());
        Assert.Equal(account.FirstDeploy.Rules.Count, second.Rules.Count);
        Assert.Equal(ServiceNames.Length * 3, second.ScalingPolicies.Count);
        Assert.Equal(account.FirstDeploy.Alarms.Keys.Order(), second.Alarms.Keys.Order());
        Assert.Equal(2 * account.FirstDeploy.MigrateTasks.Count, second.MigrateTasks.Count);
    }

    [Fact]
    public void Only_a_services_first_deploy_starts_every_service_again_so_that_each_reaches_the_new_one()
    {
        const string Restart = "starting every service's tasks again";
        Assert.Contains(Restart, account.FirstDeploy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Restart, account.SecondDeploy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_stops_the_deploy_before_any_service_changes()
    {
        // The emulator's task of an image tagged exit-<code> exits with that code.
        var (exitCode, output) = await account.DeployAsync("exit-1");

        Assert.Equal(1, exitCode);
        Assert.Contains("a migration failed, so no service was changed", output, StringComparison.Ordinal);
        Assert.DoesNotContain(": stack mycomputer-production-", output, StringComparison.Ordinal);
        foreach (var service in ServiceNames)
        {
            var stack = (await account.Platform.AwsAsync("cloudformation", "describe-stacks", "--stack-name", $"mycomputer-production-{service}"))
                .GetProperty("Stacks")[0];
            Assert.Equal("v2", stack.GetProperty("Parameters").EnumerateArray()
                .Single(p => p.GetProperty("ParameterKey").GetString() == "ImageTag").GetProperty("ParameterValue").GetString());
        }
    }

    [Fact]
    public async Task A_deploy_missing_a_setting_names_it_and_changes_nothing()
    {
        var before = await account.Platform.AwsAsync("ecs", "list-task-definitions");

        var (exitCode, output) = await account.DeployAsync("v3", without: "DatabaseHost");

        Assert.Equal(1, exitCode);
        Assert.Contains("no value for: DatabaseHost", output, StringComparison.Ordinal);
        var after = await account.Platform.AwsAsync("ecs", "list-task-definitions");
        Assert.Equal(before.GetProperty("taskDefinitionArns").GetArrayLength(), after.GetProperty("taskDefinitionArns").GetArrayLength());
    }

    [Fact]
    public async Task An_invalid_image_tag_is_refused()
    {
        var (exitCode, output) = await account.DeployAsync("v1; rm -rf /");

        Assert.Equal(1, exitCode);
        Assert.Contains("is not a valid image tag", output, StringComparison.Ordinal);
    }

    private static string Pascal(string service) => char.ToUpperInvariant(service[0]) + service[1..];

    private static string Family(string taskDefinitionArn) => taskDefinitionArn.Split('/')[^1].Split(':')[0];

    /// <summary>A service's stack: its status and each logical resource's physical id.</summary>
    public sealed record StackState(string Status, Dictionary<string, string> Resources);

    /// <summary>What the emulator holds after a deploy.</summary>
    public sealed record DeployState(
        int ExitCode,
        string Output,
        Dictionary<string, StackState> Stacks,
        Dictionary<string, JsonElement> TaskDefinitions,
        Dictionary<string, JsonElement> Services,
        Dictionary<string, JsonElement> TargetGroups,
        List<JsonElement> Rules,
        List<JsonElement> ScalableTargets,
        List<JsonElement> ScalingPolicies,
        Dictionary<string, JsonElement> Alarms,
        List<JsonElement> MigrateTasks);

    /// <summary>The platform stack created in an emulator of its own, then two deploys.</summary>
    public sealed class EmulatedAccount : IAsyncLifetime
    {
        public EmulatedPlatform Platform { get; } = new();

        public DeployState FirstDeploy { get; private set; } = null!;

        public DeployState SecondDeploy { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Platform.InitializeAsync();
            // A task the emulator runs stops at the next look at it, its containers exiting 0, as a migration that succeeds.
            using var http = new HttpClient();
            (await http.PostAsync($"{Platform.Endpoint}/moto-api/state-manager/set-transition", new StringContent(
                """{"model_name": "ecs::task", "transition": {"progression": "immediate"}}"""))).EnsureSuccessStatusCode();
            FirstDeploy = await DeployAndReadAsync("v1");
            SecondDeploy = await DeployAndReadAsync("v2");
        }

        public Task DisposeAsync() => Platform.DisposeAsync();

        public Task<(int ExitCode, string Output)> DeployAsync(string tag, string? without = null)
        {
            var environment = Platform.Environment();
            foreach (var (name, value) in Platform.StackOutputs)
            {
                environment[name] = name == without ? null : value;
            }

            return Repository.RunAsync(Path.Combine(Repository.Root, "deploy/deploy.sh"), [tag], environment);
        }

        private async Task<DeployState> DeployAndReadAsync(string tag)
        {
            var (exitCode, output) = await DeployAsync(tag);
            var cluster = Platform.StackOutputs["ClusterName"];

            var stacks = new Dictionary<string, StackState>();
            var taskDefinitions = new Dictionary<string, JsonElement>();
            foreach (var service in ServiceNames)
            {
                var name = $"mycomputer-production-{service}";
                var status = (await Platform.AwsAsync("cloudformation", "describe-stacks", "--stack-name", name))
                    .GetProperty("Stacks")[0].GetProperty("StackStatus").GetString()!;
                var resources = (await Platform.AwsAsync("cloudformation", "describe-stack-resources", "--stack-name", name))
                    .GetProperty("StackResources").EnumerateArray()
                    .ToDictionary(r => r.GetProperty("LogicalResourceId").GetString()!, r => r.GetProperty("PhysicalResourceId").GetString()!);
                stacks[service] = new StackState(status, resources);
                taskDefinitions[service] = (await Platform.AwsAsync("ecs", "describe-task-definition", "--task-definition",
                    $"mycomputer-production-{service}")).GetProperty("taskDefinition");
            }

            var services = (await Platform.AwsAsync(["ecs", "describe-services", "--cluster", cluster, "--services", .. ServiceNames]))
                .GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("serviceName").GetString()!);
            var targetGroups = (await Platform.AwsAsync("elbv2", "describe-target-groups")).GetProperty("TargetGroups")
                .EnumerateArray().ToDictionary(t => t.GetProperty("TargetGroupName").GetString()!);
            var rules = (await Platform.AwsAsync("elbv2", "describe-rules", "--listener-arn", Platform.StackOutputs["HttpsListenerArn"]))
                .GetProperty("Rules").EnumerateArray().Where(r => !r.GetProperty("IsDefault").GetBoolean()).ToList();
            var scalableTargets = (await Platform.AwsAsync("application-autoscaling", "describe-scalable-targets", "--service-namespace", "ecs"))
                .GetProperty("ScalableTargets").EnumerateArray().ToList();
            var policies = (await Platform.AwsAsync("application-autoscaling", "describe-scaling-policies", "--service-namespace", "ecs"))
                .GetProperty("ScalingPolicies").EnumerateArray().ToList();
            // The stacks' own (target tracking makes and replaces its alarms itself).
            var alarms = (await Platform.AwsAsync("cloudwatch", "describe-alarms", "--alarm-name-prefix", "mycomputer-production-"))
                .GetProperty("MetricAlarms").EnumerateArray().ToDictionary(a => a.GetProperty("AlarmName").GetString()!);
            var migrateTaskArns = (await Platform.AwsAsync("ecs", "list-tasks", "--cluster", cluster, "--started-by", "deploy"))
                .GetProperty("taskArns").EnumerateArray().Select(t => t.GetString()!).ToList();
            var migrateTasks = migrateTaskArns.Count == 0 ? [] : (await Platform.AwsAsync(["ecs", "describe-tasks", "--cluster", cluster,
                "--tasks", .. migrateTaskArns])).GetProperty("tasks").EnumerateArray().ToList();

            return new DeployState(exitCode, output, stacks, taskDefinitions, services, targetGroups, rules, scalableTargets, policies, alarms,
                migrateTasks);
        }
    }
}
