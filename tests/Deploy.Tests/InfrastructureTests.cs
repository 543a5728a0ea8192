using System.Text.Json;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>The ALB, ECS service and autoscaling templates under deploy/, and the CloudFormation template.</summary>
public sealed class InfrastructureTests
{
    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void The_listener_routes_the_services_path_to_it_and_no_other(string service, string assembly)
    {
        _ = assembly;
        var declared = Topology.Services[service];

        // The API services under /api/<service>/; the one service at /* (the storefront) takes the rest, last.
        if (declared.PathPattern == "/*")
        {
            Assert.Equal(Topology.Services.Values.Max(s => s.ListenerPriority), declared.ListenerPriority);
            Assert.Single(Topology.Services.Values, s => s.PathPattern == "/*");
        }
        else
        {
            Assert.Equal($"/api/{service}/*", declared.PathPattern);
        }

        var priorities = Topology.Services.Values.Select(s => s.ListenerPriority).ToList();
        Assert.Equal(priorities.Count, priorities.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Target_groups_reach_the_tasks_by_ip_and_check_the_load_balancer_health_path(string service, string assembly)
    {
        _ = assembly;
        var targetGroup = Repository.ServiceResource(service, "AWS::ElasticLoadBalancingV2::TargetGroup");

        Assert.Equal("ip", targetGroup.GetProperty("TargetType").GetString());
        Assert.Equal(Topology.Services[service].Port, targetGroup.GetProperty("Port").GetInt32());
        // /health is the platform's shallow check for load balancers: 200 while serving, 503 while draining.
        Assert.Equal("/health", targetGroup.GetProperty("HealthCheckPath").GetString());
        Assert.Contains("health.MapGet(\"\", Shallow)", Repository.Read("platform/Health/HealthEndpoints.cs"), StringComparison.Ordinal);
        Assert.Equal("200", targetGroup.GetProperty("Matcher").GetProperty("HttpCode").GetString());
        // A new task takes traffic after two passing checks (10 s); a failing one leaves after two (10 s).
        Assert.InRange(targetGroup.GetProperty("HealthCheckIntervalSeconds").GetInt32() * targetGroup.GetProperty("HealthyThresholdCount").GetInt32(), 5, 15);
        Assert.True(targetGroup.GetProperty("HealthCheckTimeoutSeconds").GetInt32() < targetGroup.GetProperty("HealthCheckIntervalSeconds").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Services_roll_with_full_capacity_roll_back_on_failure_and_scale_on_the_seeds_targets(string service, string assembly)
    {
        _ = assembly;
        var ecsService = Repository.ServiceResource(service, "AWS::ECS::Service");
        var deployment = ecsService.GetProperty("DeploymentConfiguration");

        // The count is autoscaling's: a stack update that named one would reset a scaled-out service to it.
        Assert.False(ecsService.TryGetProperty("DesiredCount", out _));
        Assert.Equal(100, deployment.GetProperty("MinimumHealthyPercent").GetInt32());
        Assert.Equal(200, deployment.GetProperty("MaximumPercent").GetInt32());
        Assert.True(deployment.GetProperty("DeploymentCircuitBreaker").GetProperty("Enable").GetBoolean());
        Assert.True(deployment.GetProperty("DeploymentCircuitBreaker").GetProperty("Rollback").GetBoolean());
        Assert.InRange(ecsService.GetProperty("HealthCheckGracePeriodSeconds").GetInt32(), 20, 120);
        Assert.Equal("DISABLED", ecsService.GetProperty("NetworkConfiguration").GetProperty("AwsvpcConfiguration").GetProperty("AssignPublicIp").GetString());

        var scaling = Repository.ServiceResource(service, "AWS::ApplicationAutoScaling::ScalableTarget");
        // Two tasks at the least, so that scaling in never leaves a service in one availability zone, or with no task
        // at all while its only one is replaced.
        Assert.Equal(2, scaling.GetProperty("MinCapacity").GetInt32());
        Assert.Equal(10, scaling.GetProperty("MaxCapacity").GetInt32());
        var targets = Repository.ServiceResources(service, "AWS::ApplicationAutoScaling::ScalingPolicy")
            .Select(p => p.GetProperty("TargetTrackingScalingPolicyConfiguration"))
            .ToDictionary(
                c => c.GetProperty("PredefinedMetricSpecification").GetProperty("PredefinedMetricType").GetString()!,
                c => c.GetProperty("TargetValue").GetDouble());
        Assert.Equal(new Dictionary<string, double>
        {
            ["ECSServiceAverageCPUUtilization"] = 70,
            ["ECSServiceAverageMemoryUtilization"] = 80,
            ["ALBRequestCountPerTarget"] = 1000,
        }, targets);
    }

    [Fact]
    public void Every_placeholder_in_the_deployment_files_has_a_value_the_stack_or_the_script_gives()
    {
        var given = Repository.TemplateOutputs();
        // The script's own: the caller's account, partition and region, and the tag.
        given.UnionWith(["AccountId", "Partition", "Region", "ImageTag"]);
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "deploy"), "*.json", SearchOption.AllDirectories);
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            foreach (var name in Repository.Placeholder().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value))
            {
                Assert.True(given.Contains(name), $"{Path.GetRelativePath(Repository.Root, file)} uses ${{{name}}}, which nothing sets");
            }
        }

        // deploy.sh gives each parameter of a service's template the platform stack's output of that name.
        foreach (var service in Topology.Services.Keys)
        {
            var parameters = Repository.ServiceTemplate(service).GetProperty("Parameters").EnumerateObject().Select(p => p.Name);
            Assert.Empty(parameters.Except(given).Order());
        }
    }

    [Fact]
    public async Task The_template_creates_the_seeds_image_repositories_scanned_on_push_keeping_the_last_30_releases()
    {
        var production = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });
        var repositories = production.Created("AWS::ECR::Repository")
            .ToDictionary(r => production.Text(production.Property(r.Resource, "RepositoryName")!.Value), r => r.Resource);

        Assert.Equal(Topology.Services.Values.Select(service => service.ImageRepository).Order(), repositories.Keys.Order());
        foreach (var repository in repositories.Values)
        {
            Assert.True(production.Property(repository, "ImageScanningConfiguration")!.Value.GetProperty("ScanOnPush").GetBoolean());
            Assert.Equal("IMMUTABLE", production.Text(production.Property(repository, "ImageTagMutability")!.Value));

            // A rollback runs the previous release's image, so releases are counted apart from untagged leftovers (a
            // count over any image counts those too), and the seed's 10 became 30.
            var text = production.Text(production.Property(repository, "LifecyclePolicy")!.Value.GetProperty("LifecyclePolicyText"));
            var selections = JsonDocument.Parse(text).RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("selection")).ToList();
            Assert.DoesNotContain(selections, s => s.GetProperty("tagStatus").GetString() == "any");
            var releases = Assert.Single(selections, s => s.GetProperty("tagStatus").GetString() == "tagged");
            Assert.Equal(["*"], releases.GetProperty("tagPatternList").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal("imageCountMoreThan", releases.GetProperty("countType").GetString());
            Assert.Equal(30, releases.GetProperty("countNumber").GetInt32());
            Assert.All(selections.Where(s => s.GetProperty("tagStatus").GetString() == "untagged"),
                s => Assert.Equal("sinceImagePushed", s.GetProperty("countType").GetString()));
        }
    }

    [Fact]
    public async Task The_template_opens_only_what_the_seeds_security_groups_allow_and_redirects_http_to_https()
    {
        var production = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });
        // Every ingress rule, inline or a resource of its own, as "protocol from-to source", by group.
        var rules = production.Created("AWS::EC2::SecurityGroup")
            .SelectMany(g => production.Items(production.Property(g.Resource, "SecurityGroupIngress")!.Value).Select(rule => (Group: g.Id, Rule: rule)))
            .Concat(production.Created("AWS::EC2::SecurityGroupIngress")
                .Select(i => (Group: production.Text(i.Resource.GetProperty("Properties").GetProperty("GroupId")).Trim('<', '>'),
                    Rule: i.Resource.GetProperty("Properties"))))
            .ToLookup(r => r.Group, r => Ingress(production, r.Rule));

        Assert.Equal(["tcp 443-443 0.0.0.0/0", "tcp 80-80 0.0.0.0/0"], rules["AlbSecurityGroup"]);
        Assert.Equal(["tcp 3000-3010 <AlbSecurityGroup>", "tcp 3000-3010 <TasksSecurityGroup>"], rules["TasksSecurityGroup"].Order());
        Assert.Equal(["tcp 5432-5432 <TasksSecurityGroup>"], rules["DatabaseSecurityGroup"]);
        Assert.Equal(["tcp 6379-6379 <TasksSecurityGroup>"], rules["CacheSecurityGroup"]);
        // Only the ALB's group lets anything in from the internet.
        Assert.Equal(["AlbSecurityGroup"], rules.Where(g => g.Any(rule => rule.EndsWith(" 0.0.0.0/0", StringComparison.Ordinal))).Select(g => g.Key));

        var (_, http) = Assert.Single(production.Created("AWS::ElasticLoadBalancingV2::Listener"),
            l => production.Text(production.Property(l.Resource, "Protocol")!.Value) == "HTTP");
        var redirect = Assert.Single(production.Items(production.Property(http, "DefaultActions")!.Value)).GetProperty("RedirectConfig");
        Assert.Equal("HTTPS", redirect.GetProperty("Protocol").GetString());
        Assert.Equal("443", redirect.GetProperty("Port").GetString());
        Assert.Equal("HTTP_301", redirect.GetProperty("StatusCode").GetString());
        foreach (var port in Topology.Services.Values.Select(service => service.Port))
        {
            Assert.InRange(port, 3000, 3010);
        }
    }

    [Fact]
    public async Task Cfn_lint_passes_on_every_template_with_its_informational_checks_on()
    {
        var templates = Directory.GetFiles(Path.Combine(Repository.Root, "deploy", "cloudformation"), "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "deploy", "cloudformation", "services"), "*.json")).ToList();
        Assert.Equal(1 + Topology.Services.Count, templates.Count);

        // -c I: the informational checks too (a circular or needless dependency, an unused condition), not errors alone.
        var (exitCode, output) = await Repository.RunAsync("cfn-lint", ["-c", "I", "--", .. templates]);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_workflow_runs_the_readme_test_command_before_it_pushes_and_deploys()
    {
        var workflow = Repository.Read(".github/workflows/deploy.yml");
        var readme = Repository.Read("README.md");

        Assert.Contains("./dev test", readme, StringComparison.Ordinal);
        var test = workflow.IndexOf("run: ./dev test", StringComparison.Ordinal);
        var push = workflow.IndexOf("docker buildx build", StringComparison.Ordinal);
        var deploy = workflow.IndexOf("deploy/deploy.sh --stack", StringComparison.Ordinal);
        Assert.True(test > 0 && push > test && deploy > push, "the workflow should test, then build and push, then deploy");

        // The workflow must be valid YAML (docker-compose's parser, as for the compose file).
        var path = Path.Combine(Repository.Root, ".github/workflows/deploy.yml");
        var (exitCode, output) = await Repository.RunAsync("/usr/bin/python3", ["-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))", path]);
        Assert.True(exitCode == 0, output);
    }

    private static string Ingress(TemplateValues values, JsonElement rule)
    {
        string Field(string name) => values.Text(rule.GetProperty(name));
        var source = rule.TryGetProperty("CidrIp", out _) ? Field("CidrIp") : Field("SourceSecurityGroupId");
        return $"{Field("IpProtocol")} {Field("FromPort")}-{Field("ToPort")} {source}";
    }
}
