using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>
/// deploy/cloudformation/platform.yaml read as data: its policies and properties as CloudFormation resolves them, for
/// production and for a second environment in the same account.
/// </summary>
public sealed partial class PlatformTemplateTests
{
    private const string AccountId = TemplateValues.AccountId;
    private const string Region = TemplateValues.Region;
    private const string ExistingGitHubProvider = $"arn:aws:iam::{AccountId}:oidc-provider/token.actions.githubusercontent.com";

    /// <summary>Deletion policies that keep what a resource of that type holds (only a database or a cache has snapshots).</summary>
    // What a replacement keeps of a resource that holds data: the old one, or for a database a snapshot of it.
    private static string[] Kept(string? type) => type is "AWS::RDS::DBInstance" or "AWS::ElastiCache::ReplicationGroup" or "AWS::ElastiCache::CacheCluster"
        ? ["Retain", "Snapshot"]
        : ["Retain"];

    private static async Task<TemplateValues> ProductionAsync() => new(await Repository.TemplateAsync(), new Dictionary<string, string>
    {
        ["EnvironmentName"] = "production",
        ["GitHubRepository"] = "mycomputer/platform",
    });

    /// <summary>A second environment in production's account, given what deploy/README.md says such a stack needs.</summary>
    private static async Task<TemplateValues> BesideProductionAsync(string environment) => new(await Repository.TemplateAsync(), new Dictionary<string, string>
    {
        ["EnvironmentName"] = environment,
        ["GitHubRepository"] = "mycomputer/platform",
        ["GitHubOidcProviderArn"] = ExistingGitHubProvider,
        ["ImageRepositories"] = "shared",
    });

    [Fact]
    public async Task Alarms_notify_through_a_topic_whose_key_cloudwatch_may_use()
    {
        var values = await ProductionAsync();
        var (topicId, topic) = Assert.Single(values.Created("AWS::SNS::Topic"));

        // AWS's managed alias/aws/sns key has a policy no one can change, and it does not let CloudWatch publish.
        var keyId = ReferencedResource(values.Property(topic, "KmsMasterKeyId"));
        var key = values.Resources.GetProperty(keyId);
        Assert.Equal("AWS::KMS::Key", key.GetProperty("Type").GetString());
        Assert.True(values.Property(key, "EnableKeyRotation")?.GetBoolean());
        Assert.Equal("RetainExceptOnCreate", key.GetProperty("DeletionPolicy").GetString());
        Assert.Equal("Retain", key.GetProperty("UpdateReplacePolicy").GetString());

        var statements = values.Items(values.Property(key, "KeyPolicy")!.Value.GetProperty("Statement")).ToList();
        Assert.All(statements, s => Assert.Equal("Allow", s.GetProperty("Effect").GetString()));
        var cloudWatch = Assert.Single(statements, s => Principals(values, s, "Service").Contains("cloudwatch.amazonaws.com"));
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], Actions(values, cloudWatch).Order());
        // Only for this account's alarms: CloudWatch acting for another account may not use the key.
        var sourceAccount = cloudWatch.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount");
        Assert.Equal(AccountId, values.Text(sourceAccount));
        var account = Assert.Single(statements, s => Principals(values, s, "AWS").Contains($"arn:aws:iam::{AccountId}:root"));
        Assert.Equal(["kms:*"], Actions(values, account));

        Assert.All(values.Created("AWS::CloudWatch::Alarm"), alarm =>
            Assert.Equal([$"<{topicId}>"], values.Items(values.Property(alarm.Resource, "AlarmActions")!.Value).Select(values.Text)));
    }

    [Fact]
    public async Task The_services_deploy_role_may_manage_the_alarms_of_its_own_clusters_target_tracking_policies_only()
    {
        var values = await ProductionAsync();
        var (clusterId, _) = Assert.Single(values.Created("AWS::ECS::Cluster"));

        // Application Auto Scaling creates and replaces a target-tracking policy's alarms with the caller's rights; they
        // are named TargetTracking-service/<cluster>/<service>-..., so another environment's are out of reach.
        var ownAlarms = $"arn:aws:cloudwatch:{Region}:{AccountId}:alarm:TargetTracking-service/<{clusterId}>/*";
        var statements = RoleStatements(values, "ServicesDeployRoleArn");
        var statement = Assert.Single(statements, s => Resources(values, s).Contains(ownAlarms));
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal(["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm"], Actions(values, statement).Order());

        // Reading alarms takes no resource; nothing that changes an alarm reaches beyond this environment's.
        foreach (var other in statements.Where(s => Actions(values, s).Any(a => a.StartsWith("cloudwatch:", StringComparison.Ordinal))))
        {
            var writes = Actions(values, other).Any(a => a != "cloudwatch:DescribeAlarms");
            Assert.True(!writes || Resources(values, other).All(r => r == ownAlarms || r.Contains(":alarm:mycomputer-production-", StringComparison.Ordinal)),
                string.Join(", ", Resources(values, other)));
        }
    }

    [Fact]
    public async Task The_services_deploy_role_changes_only_this_environments_target_groups_and_listener_rules()
    {
        var values = await ProductionAsync();
        var (listenerId, _) = Assert.Single(values.Created("AWS::ElasticLoadBalancingV2::Listener"),
            l => values.Text(values.Property(l.Resource, "Protocol")!.Value) == "HTTPS");
        var (balancerId, _) = Assert.Single(values.Created("AWS::ElasticLoadBalancingV2::LoadBalancer"));
        // Each service's stack names its target group <environment>-<service>.
        Assert.All(Topology.Services.Keys, service => Assert.Equal($"${{EnvironmentName}}-{service}", Repository.ServiceResource(
            service, "AWS::ElasticLoadBalancingV2::TargetGroup").GetProperty("Name").GetProperty("Fn::Sub").GetString()));
        var prefix = $"arn:aws:elasticloadbalancing:{Region}:{AccountId}:";
        var allowed = new Dictionary<string, string>
        {
            ["elasticloadbalancing:CreateTargetGroup"] = $"{prefix}targetgroup/production-*/*",
            ["elasticloadbalancing:ModifyTargetGroup"] = $"{prefix}targetgroup/production-*/*",
            ["elasticloadbalancing:ModifyTargetGroupAttributes"] = $"{prefix}targetgroup/production-*/*",
            ["elasticloadbalancing:DeleteTargetGroup"] = $"{prefix}targetgroup/production-*/*",
            ["elasticloadbalancing:AddTags"] = $"{prefix}targetgroup/production-*/*",
            ["elasticloadbalancing:RemoveTags"] = $"{prefix}targetgroup/production-*/*",
            ["elasticloadbalancing:CreateRule"] = $"<{listenerId}>",
            ["elasticloadbalancing:ModifyRule"] = $"{prefix}listener-rule/app/<{balancerId}.LoadBalancerName>/*",
            ["elasticloadbalancing:DeleteRule"] = $"{prefix}listener-rule/app/<{balancerId}.LoadBalancerName>/*",
            ["elasticloadbalancing:SetRulePriorities"] = $"{prefix}listener-rule/app/<{balancerId}.LoadBalancerName>/*",
        };

        foreach (var statement in RoleStatements(values, "ServicesDeployRoleArn").Concat(DeployRoleStatements(values)))
        {
            foreach (var action in Actions(values, statement).Where(a => a.StartsWith("elasticloadbalancing:", StringComparison.Ordinal)))
            {
                var resources = Resources(values, statement);
                if (action.StartsWith("elasticloadbalancing:Describe", StringComparison.Ordinal))
                {
                    continue; // they take no resource
                }

                Assert.True(allowed.TryGetValue(action, out var resource), $"{action} is not expected");
                Assert.Equal([resource], resources);
            }
        }
    }

    [Fact]
    public async Task The_github_provider_outlives_the_stack_and_an_existing_ones_arn_is_checked()
    {
        var production = await ProductionAsync();
        var (_, provider) = Assert.Single(production.Created("AWS::IAM::OIDCProvider"));
        // Other environments' deploy roles in the account trust it.
        Assert.Equal("Retain", provider.GetProperty("DeletionPolicy").GetString());
        Assert.Equal("Retain", provider.GetProperty("UpdateReplacePolicy").GetString());

        var template = await Repository.TemplateAsync();
        var pattern = new Regex($"^(?:{template.GetProperty("Parameters").GetProperty("GitHubOidcProviderArn").GetProperty("AllowedPattern").GetString()})$");
        Assert.Matches(pattern, "");
        Assert.Matches(pattern, ExistingGitHubProvider);
        Assert.DoesNotMatch(pattern, "arn:aws:iam::12345:oidc-provider/token.actions.githubusercontent.com");
        Assert.DoesNotMatch(pattern, $"arn:aws:iam::{AccountId}:oidc-provider/accounts.google.com");
        Assert.DoesNotMatch(pattern, $"arn:aws:iam::{AccountId}:role/token.actions.githubusercontent.com");
    }

    [Fact]
    public async Task The_deploy_role_may_make_every_call_deploy_sh_makes_and_names_each_action_it_allows()
    {
        var values = await ProductionAsync();
        var allowed = DeployRoleStatements(values).Where(s => s.GetProperty("Effect").GetString() == "Allow")
            .SelectMany(s => Actions(values, s)).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(allowed, action => action.Contains('*', StringComparison.Ordinal));
        var needed = ActionsOfCalls(Repository.Read("deploy/deploy.sh"));
        Assert.Contains("ecs:RunTask", needed);
        Assert.Contains("cloudformation:ExecuteChangeSet", needed);
        Assert.Empty(needed.Except(allowed).Order());
        // Everything else is CloudFormation's, as the services' deploy role.
        Assert.DoesNotContain(allowed, action => action.StartsWith("elasticloadbalancing:", StringComparison.Ordinal)
            || action.StartsWith("application-autoscaling:", StringComparison.Ordinal) || action.StartsWith("cloudwatch:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_deploy_role_passes_cloudformation_the_services_deploy_role_alone_and_runs_only_migrate_tasks()
    {
        var values = await ProductionAsync();
        var statements = DeployRoleStatements(values);
        var servicesRole = $"<{ReferencedResource(values.Output("ServicesDeployRoleArn"))}.Arn>";

        var passes = statements.Where(s => Actions(values, s).Contains("iam:PassRole")).ToDictionary(
            s => values.Text(s.GetProperty("Condition").GetProperty("StringEquals").GetProperty("iam:PassedToService")), s => Resources(values, s));
        Assert.Equal([servicesRole], passes["cloudformation.amazonaws.com"]);
        Assert.DoesNotContain(servicesRole, passes["ecs-tasks.amazonaws.com"]);
        Assert.Equal(2, passes.Count);

        var run = Assert.Single(statements, s => Actions(values, s).Contains("ecs:RunTask"));
        Assert.Equal([$"arn:aws:ecs:{Region}:{AccountId}:task-definition/mycomputer-production-*-migrate:*"], Resources(values, run));
        var stacks = Assert.Single(statements, s => Actions(values, s).Contains("cloudformation:ExecuteChangeSet"));
        Assert.Equal([$"arn:aws:cloudformation:{Region}:{AccountId}:stack/mycomputer-production-*/*"], Resources(values, stacks));
    }

    [Fact]
    public async Task The_services_deploy_role_may_create_update_and_delete_every_resource_the_services_templates_declare()
    {
        var values = await ProductionAsync();
        var allowed = RoleStatements(values, "ServicesDeployRoleArn").Where(s => s.GetProperty("Effect").GetString() == "Allow")
            .SelectMany(s => Actions(values, s)).ToHashSet(StringComparer.Ordinal);
        var trust = Assert.Single(values.Items(values.Property(values.Resources.GetProperty(
            ReferencedResource(values.Output("ServicesDeployRoleArn"))), "AssumeRolePolicyDocument")!.Value.GetProperty("Statement")));
        Assert.Equal(["cloudformation.amazonaws.com"], Principals(values, trust, "Service"));

        Assert.DoesNotContain(allowed, action => action.Contains('*', StringComparison.Ordinal));
        var types = Topology.Services.Keys.SelectMany(service => Repository.ServiceTemplate(service).GetProperty("Resources").EnumerateObject())
            .Select(resource => resource.Value.GetProperty("Type").GetString()!).ToHashSet(StringComparer.Ordinal);
        foreach (var type in types)
        {
            Assert.True(HandlerActions.TryGetValue(type, out var needed), $"{type}: add what CloudFormation's handlers need to {nameof(HandlerActions)}");
            Assert.Empty(needed.Except(allowed).Order());
        }
    }

    /// <summary>
    /// What CloudFormation's handlers call to create, update and delete each resource type of the services' templates
    /// (the handlers' permissions in each type's resource schema).
    /// </summary>
    private static readonly Dictionary<string, string[]> HandlerActions = new()
    {
        ["AWS::ECS::TaskDefinition"] = ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:TagResource",
            "iam:PassRole", "iam:GetRole"],
        ["AWS::ECS::Service"] = ["ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices", "ecs:TagResource",
            "ecs:UntagResource", "iam:PassRole", "iam:CreateServiceLinkedRole", "servicediscovery:CreateService", "servicediscovery:GetNamespace",
            "servicediscovery:GetService", "servicediscovery:TagResource"],
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] = ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
            "elasticloadbalancing:DescribeTags"],
        ["AWS::ElasticLoadBalancingV2::ListenerRule"] = ["elasticloadbalancing:CreateRule", "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:DeleteRule", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:SetRulePriorities"],
        ["AWS::ApplicationAutoScaling::ScalableTarget"] = ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
            "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScheduledActions", "ecs:DescribeServices",
            "ecs:UpdateService", "iam:CreateServiceLinkedRole"],
        ["AWS::ApplicationAutoScaling::ScalingPolicy"] = ["application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
            "application-autoscaling:DescribeScalingPolicies", "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"],
        // Stack tags reach every resource that takes tags: an alarm's need cloudwatch:TagResource.
        ["AWS::CloudWatch::Alarm"] = ["cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource"],
    };

    [Fact]
    public async Task A_second_environment_in_the_account_names_none_of_its_resources_as_the_first_one_does()
    {
        var production = Names(await ProductionAsync());

        foreach (var environment in new[] { "staging", "development" })
        {
            var other = Names(await BesideProductionAsync(environment));
            Assert.Empty(production.Intersect(other).Order());
        }

        Assert.Contains("AWS::Logs::LogGroup /ecs/inventory", production);
    }

    [Fact]
    public async Task Default_bucket_names_are_unique_per_account_region_and_environment()
    {
        foreach (var values in new[] { await ProductionAsync(), await BesideProductionAsync("staging"), await BesideProductionAsync("development") })
        {
            var environment = values.Parameter("EnvironmentName");
            var buckets = values.Created("AWS::S3::Bucket").ToList();
            Assert.Equal(4, buckets.Count);
            foreach (var (_, bucket) in buckets)
            {
                var name = values.Text(values.Property(bucket, "BucketName")!.Value);
                Assert.Contains($"-{AccountId}-{Region}-{environment}-", name, StringComparison.Ordinal);
                // S3's limit is 63 characters, also in the regions with the longest names (ap-southeast-2 and the like).
                Assert.InRange(name.Length - Region.Length + "ap-southeast-2".Length, 3, 63);
            }
        }
    }

    [Fact]
    public async Task An_account_that_has_the_github_provider_gives_its_arn_and_the_deploy_role_trusts_it_without_a_second_one()
    {
        var staging = await BesideProductionAsync("staging");
        Assert.Empty(staging.Created("AWS::IAM::OIDCProvider"));
        Assert.Equal(ExistingGitHubProvider, staging.Text(DeployRoleTrust(staging).GetProperty("Principal").GetProperty("Federated")));

        // Without one, the stack creates the provider and trusts it.
        var production = await ProductionAsync();
        var (providerId, _) = Assert.Single(production.Created("AWS::IAM::OIDCProvider"));
        Assert.Equal($"<{providerId}>", production.Text(DeployRoleTrust(production).GetProperty("Principal").GetProperty("Federated")));
    }

    [Fact]
    public async Task Stripe_webhooks_over_8_kb_pass_the_waf_and_other_large_bodies_are_still_blocked()
    {
        var values = await ProductionAsync();
        var rules = WebAclRules(values);

        // The common rule set blocks any body over 8 KB, and Stripe's events can be larger: its body-size rule only counts...
        var common = Assert.Single(rules, r => ManagedRuleGroup(r) == "AWSManagedRulesCommonRuleSet");
        var overrides = common.GetProperty("Statement").GetProperty("ManagedRuleGroupStatement").GetProperty("RuleActionOverrides");
        Assert.Contains(overrides.EnumerateArray(), o => o.GetProperty("Name").GetString() == "SizeRestrictions_BODY"
            && o.GetProperty("ActionToUse").EnumerateObject().Single().Name == "Count");

        // ...and the next rule blocks what it labelled, except on the webhook, which checks each event's signature...
        var sizeRule = rules[rules.IndexOf(common) + 1];
        Assert.Equal("Block", sizeRule.GetProperty("Action").EnumerateObject().Single().Name);
        var conditions = sizeRule.GetProperty("Statement").GetProperty("AndStatement").GetProperty("Statements").EnumerateArray().ToList();
        Assert.Equal(2, conditions.Count);
        var label = conditions[0].GetProperty("LabelMatchStatement");
        Assert.Equal("LABEL", label.GetProperty("Scope").GetString());
        Assert.Equal("awswaf:managed:aws:core-rule-set:SizeRestrictions_Body", label.GetProperty("Key").GetString());
        var exempt = conditions[1].GetProperty("NotStatement").GetProperty("Statement").GetProperty("OrStatement").GetProperty("Statements")
            .EnumerateArray().ToList();
        Assert.Equal(2, exempt.Count);
        Assert.Equal(StripeWebhookPath(), MatchedPath(exempt[0]));

        // ...and on an admin's new picture (up to 25 MB, in a form the storefront checks), on that route alone.
        var upload = exempt[1].GetProperty("RegexMatchStatement");
        Assert.True(upload.GetProperty("FieldToMatch").TryGetProperty("UriPath", out _));
        var pictures = new Regex(upload.GetProperty("RegexString").GetString()!);
        Assert.Matches(pictures, $"/admin/products/{Guid.NewGuid()}/images");
        Assert.DoesNotMatch(pictures, "/admin/products/new");
        Assert.DoesNotMatch(pictures, $"/account/images?next=/admin/products/{Guid.NewGuid()}/images");
        Assert.DoesNotMatch(pictures, $"/api/inventory/products/{Guid.NewGuid()}/images");
    }

    [Fact]
    public async Task Stripes_webhook_has_its_own_per_address_rate_limit_ten_times_the_general_one()
    {
        var values = await ProductionAsync();
        var rates = WebAclRules(values).Where(r => r.GetProperty("Statement").TryGetProperty("RateBasedStatement", out _)).ToList();
        Assert.Equal(2, rates.Count);
        Assert.All(rates, r => Assert.Equal("Block", r.GetProperty("Action").EnumerateObject().Single().Name));
        var statements = rates.Select(r => r.GetProperty("Statement").GetProperty("RateBasedStatement")).ToList();
        Assert.All(statements, s => Assert.Equal("IP", s.GetProperty("AggregateKeyType").GetString()));
        Assert.All(statements, s => Assert.Equal(300, s.GetProperty("EvaluationWindowSec").GetInt32()));

        // Stripe delivers from a few shared addresses, in bursts: the general limit does not count the webhook...
        var general = Assert.Single(statements, s => s.GetProperty("ScopeDownStatement").TryGetProperty("NotStatement", out _));
        Assert.Equal(2000, general.GetProperty("Limit").GetInt32());
        Assert.Equal(StripeWebhookPath(), ExemptPath(general.GetProperty("ScopeDownStatement")));

        // ...and the webhook's own limit stops one address flooding it.
        var webhook = Assert.Single(statements, s => s.GetProperty("ScopeDownStatement").TryGetProperty("ByteMatchStatement", out _));
        Assert.Equal(10 * general.GetProperty("Limit").GetInt32(), webhook.GetProperty("Limit").GetInt32());
        Assert.Equal(StripeWebhookPath(), MatchedPath(webhook.GetProperty("ScopeDownStatement")));
    }

    [Fact]
    public async Task Every_bucket_refuses_requests_that_do_not_come_over_tls()
    {
        var values = await ProductionAsync();

        foreach (var (bucketId, _) in values.Created("AWS::S3::Bucket"))
        {
            var statements = BucketPolicyStatements(values, bucketId);
            Assert.Contains(statements, s =>
                s.GetProperty("Effect").GetString() == "Deny"
                && s.GetProperty("Principal").ValueKind == JsonValueKind.String && s.GetProperty("Principal").GetString() == "*"
                && Actions(values, s).SequenceEqual(["s3:*"])
                && Resources(values, s).Order().SequenceEqual([$"<{bucketId}.Arn>", $"<{bucketId}.Arn>/*"])
                && s.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString() == "false");
        }
    }

    [Fact]
    public async Task The_load_balancer_writes_access_logs_to_the_logs_bucket_which_lets_elastic_load_balancing_deliver_them()
    {
        var values = await ProductionAsync();
        var (_, balancer) = Assert.Single(values.Created("AWS::ElasticLoadBalancingV2::LoadBalancer"));
        var attributes = values.Items(values.Property(balancer, "LoadBalancerAttributes")!.Value)
            .ToDictionary(a => a.GetProperty("Key").GetString()!, a => values.Text(a.GetProperty("Value")));

        Assert.Equal("true", attributes.GetValueOrDefault("access_logs.s3.enabled"));
        var bucketId = attributes["access_logs.s3.bucket"].Trim('<', '>');
        Assert.EndsWith("-logs", values.Text(values.Property(values.Resources.GetProperty(bucketId), "BucketName")!.Value), StringComparison.Ordinal);
        var prefix = attributes["access_logs.s3.prefix"];

        // eu-west-1 opened before August 2022: Elastic Load Balancing's account there delivers the logs.
        var delivery = Assert.Single(BucketPolicyStatements(values, bucketId),
            s => Principals(values, s, "AWS").Contains("arn:aws:iam::156460612806:root"));
        Assert.Equal("Allow", delivery.GetProperty("Effect").GetString());
        Assert.Equal(["s3:PutObject"], Actions(values, delivery));
        Assert.Equal([$"<{bucketId}.Arn>/{prefix}/AWSLogs/{AccountId}/*"], Resources(values, delivery));
        // The load balancer checks it can write there when access logs are switched on.
        var policyId = values.Created("AWS::S3::BucketPolicy").Single(p => values.Text(values.Property(p.Resource, "Bucket")!.Value) == $"<{bucketId}>").Id;
        Assert.Contains(policyId, DependsOn(balancer));
    }

    [Theory]
    [InlineData("us-east-1", "127311923021")]
    [InlineData("eu-central-1", "054676820928")]
    [InlineData("ap-south-1", "718504428378")]
    [InlineData("sa-east-1", "507241528517")]
    [InlineData("ap-southeast-4", null)]
    [InlineData("eu-south-2", null)]
    [InlineData("il-central-1", null)]
    public async Task Access_logs_are_delivered_by_elastic_load_balancings_account_in_older_regions_and_its_service_elsewhere(string region, string? elbAccount)
    {
        var values = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" }, region);
        var bucketId = Assert.Single(values.Created("AWS::S3::Bucket"),
            b => values.Text(values.Property(b.Resource, "BucketName")!.Value).EndsWith("-logs", StringComparison.Ordinal)).Id;
        var delivery = Assert.Single(BucketPolicyStatements(values, bucketId), s => s.GetProperty("Sid").GetString() == "LoadBalancerAccessLogs");

        string[] accounts = elbAccount is null ? [] : [$"arn:aws:iam::{elbAccount}:root"];
        string[] services = elbAccount is null ? ["logdelivery.elasticloadbalancing.amazonaws.com"] : [];
        Assert.Equal(accounts, Principals(values, delivery, "AWS"));
        Assert.Equal(services, Principals(values, delivery, "Service"));
    }

    [Fact]
    public async Task Every_region_with_an_elastic_load_balancing_account_gives_it_as_the_access_logs_principal()
    {
        var template = await Repository.TemplateAsync();
        var regions = template.GetProperty("Mappings").GetProperty("ElbAccounts").EnumerateObject().ToList();
        Assert.Contains(regions, r => r.Name == "eu-west-1" && r.Value.GetProperty("AccountId").GetString() == "156460612806");

        foreach (var region in regions)
        {
            var values = new TemplateValues(template, new Dictionary<string, string> { ["EnvironmentName"] = "production" }, region.Name);
            Assert.True(values.Holds("HasElbAccount"), region.Name);
        }
    }

    [Fact]
    public async Task The_waf_logs_to_its_own_log_group_for_30_days_without_the_authorization_header()
    {
        var values = await ProductionAsync();
        var (aclId, _) = Assert.Single(values.Created("AWS::WAFv2::WebACL"));
        var (_, logging) = Assert.Single(values.Created("AWS::WAFv2::LoggingConfiguration"));

        Assert.Equal($"<{aclId}.Arn>", values.Text(values.Property(logging, "ResourceArn")!.Value));
        // WAF takes the log group's ARN without the ":*" that its Arn attribute ends with.
        var destination = values.Text(Assert.Single(values.Items(values.Property(logging, "LogDestinationConfigs")!.Value)));
        var group = LogGroupArn().Match(destination);
        Assert.True(group.Success, destination);
        var logGroup = values.Resources.GetProperty(group.Groups["id"].Value);
        Assert.StartsWith("aws-waf-logs-", values.Text(values.Property(logGroup, "LogGroupName")!.Value), StringComparison.Ordinal);
        Assert.Equal(30, values.Property(logGroup, "RetentionInDays")!.Value.GetInt32());

        Assert.Contains(values.Items(values.Property(logging, "RedactedFields")!.Value), f => f.TryGetProperty("SingleHeader", out var header)
            && header.GetProperty("Name").GetString()!.Equals("authorization", StringComparison.OrdinalIgnoreCase));

        // The stack lets CloudWatch Logs' delivery service write there, so WAF need not add a policy with the deployer's rights.
        var (policyId, policy) = Assert.Single(values.Created("AWS::Logs::ResourcePolicy"));
        Assert.Contains(policyId, DependsOn(logging));
        using var document = JsonDocument.Parse(values.Text(values.Property(policy, "PolicyDocument")!.Value));
        var statement = Assert.Single(document.RootElement.GetProperty("Statement").EnumerateArray());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal("delivery.logs.amazonaws.com", statement.GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Order());
        Assert.Equal($"{destination}:log-stream:*", statement.GetProperty("Resource").GetString());
        Assert.Equal(AccountId, statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount").GetString());
        Assert.Equal($"arn:aws:logs:{Region}:{AccountId}:*",
            statement.GetProperty("Condition").GetProperty("ArnLike").GetProperty("aws:SourceArn").GetString());
    }

    [Fact]
    public async Task Every_resource_that_holds_data_says_what_becomes_of_it_when_deleted_or_replaced()
    {
        var values = await ProductionAsync();
        string[] holdData =
        [
            "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::CacheCluster",
            "AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::KMS::Key", "AWS::SecretsManager::Secret", "AWS::ECR::Repository", "AWS::SQS::Queue",
        ];
        // What cannot be made again keeps existing: the data, the images, the logs, and the keys that decrypt them.
        string[] outliveTheStack = ["AWS::RDS::DBInstance", "AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::KMS::Key", "AWS::ECR::Repository"];

        var resources = values.Resources.EnumerateObject().Where(r => holdData.Contains(r.Value.GetProperty("Type").GetString())).ToList();
        Assert.NotEmpty(resources);
        foreach (var resource in resources)
        {
            var type = resource.Value.GetProperty("Type").GetString();
            Assert.True(resource.Value.TryGetProperty("DeletionPolicy", out var deletion), $"{resource.Name} ({type}) has no DeletionPolicy");
            Assert.True(resource.Value.TryGetProperty("UpdateReplacePolicy", out var replacement), $"{resource.Name} ({type}) has no UpdateReplacePolicy");
            if (outliveTheStack.Contains(type))
            {
                // Kept when the stack goes (a database as its final snapshot), but not when its first create fails: what a
                // failed create made and kept (a bucket's fixed name, say) would stand in the way of the next attempt.
                string[] deleted = type == "AWS::RDS::DBInstance" ? ["Snapshot", "RetainExceptOnCreate"] : ["RetainExceptOnCreate"];
                Assert.True(deleted.Contains(deletion.GetString()), $"{resource.Name} ({type}) is deleted as {deletion.GetString()}");
                Assert.Contains(replacement.GetString(), Kept(type));
            }
        }
    }

    /// <summary>The IAM actions deploy.sh's AWS CLI calls need, each call's own and those its service checks besides.</summary>
    private static HashSet<string> ActionsOfCalls(string script)
    {
        var actions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in script.Split('\n').Where(line => !line.TrimStart().StartsWith('#')).SelectMany(line => AwsCall().Matches(line)))
        {
            var service = call.Groups["service"].Value;
            var command = call.Groups["command"].Value;
            if (service == "configure" || $"{service} {command}" == "sts get-caller-identity")
            {
                continue; // local settings, and the one call IAM never refuses
            }

            // describe-target-groups is DescribeTargetGroups; elbv2 is IAM's elasticloadbalancing.
            var operation = string.Concat(command.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
            string[] called = command == "wait" ? [Waiters[$"{service} {call.Groups["waiter"].Value}"]]
                : Commands.TryGetValue($"{service} {command}", out var operations) ? operations
                : [$"{(service == "elbv2" ? "elasticloadbalancing" : service)}:{operation}"];
            foreach (var action in called)
            {
                actions.Add(action);
                actions.UnionWith(AlsoChecked.GetValueOrDefault(action, []));
            }
        }

        return actions;
    }

    private static readonly Dictionary<string, string> Waiters = new()
    {
        ["ecs tasks-stopped"] = "ecs:DescribeTasks",
        ["ecs services-stable"] = "ecs:DescribeServices",
        ["cloudformation stack-delete-complete"] = "cloudformation:DescribeStacks",
    };

    /// <summary>The CLI's own commands that are several calls: <c>deploy</c> makes a change set, waits for it, executes it and waits.</summary>
    private static readonly Dictionary<string, string[]> Commands = new()
    {
        ["cloudformation deploy"] = ["cloudformation:DescribeStacks", "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet",
            "cloudformation:ExecuteChangeSet"],
    };

    /// <summary>
    /// What a call needs besides its own action (each service's documentation): tags need their own action; a task
    /// definition and a task pass their roles; a change set made with a role passes that role to CloudFormation.
    /// </summary>
    private static readonly Dictionary<string, string[]> AlsoChecked = new()
    {
        ["ecs:RegisterTaskDefinition"] = ["iam:PassRole", "ecs:TagResource"],
        ["ecs:RunTask"] = ["iam:PassRole"],
        ["cloudformation:CreateChangeSet"] = ["iam:PassRole"],
    };

    private static HashSet<string> Names(TemplateValues values)
    {
        // The properties that give a resource a name of its own, unique in the account and region (or globally).
        var nameProperties = new Dictionary<string, string>
        {
            ["AWS::S3::Bucket"] = "BucketName",
            ["AWS::Logs::LogGroup"] = "LogGroupName",
            ["AWS::ECR::Repository"] = "RepositoryName",
            ["AWS::IAM::Role"] = "RoleName",
            ["AWS::IAM::ManagedPolicy"] = "ManagedPolicyName",
            ["AWS::IAM::OIDCProvider"] = "Url",
            ["AWS::SecretsManager::Secret"] = "Name",
            ["AWS::SQS::Queue"] = "QueueName",
            ["AWS::SNS::Topic"] = "TopicName",
            ["AWS::KMS::Alias"] = "AliasName",
            ["AWS::WAFv2::WebACL"] = "Name",
            ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = "Name",
            ["AWS::ECS::Cluster"] = "ClusterName",
            ["AWS::RDS::DBInstance"] = "DBInstanceIdentifier",
            ["AWS::ElastiCache::ReplicationGroup"] = "ReplicationGroupId",
            ["AWS::ElastiCache::User"] = "UserId",
            ["AWS::ElastiCache::UserGroup"] = "UserGroupId",
            ["AWS::ServiceDiscovery::HttpNamespace"] = "Name",
            ["AWS::CloudWatch::Alarm"] = "AlarmName",
            ["AWS::CloudWatch::Dashboard"] = "DashboardName",
        };
        return values.Created()
            .Select(r => (Type: r.Resource.GetProperty("Type").GetString()!, r.Resource))
            .Where(r => nameProperties.ContainsKey(r.Type) && values.Property(r.Resource, nameProperties[r.Type]) is not null)
            .Select(r => $"{r.Type} {values.Text(values.Property(r.Resource, nameProperties[r.Type])!.Value)}")
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The role the workflow deploys with: the one the stack's GitHubDeployRoleArn output names.</summary>
    private static JsonElement DeployRole(TemplateValues values) =>
        values.Resources.GetProperty(ReferencedResource(values.Output("GitHubDeployRoleArn")));

    private static List<JsonElement> DeployRoleStatements(TemplateValues values) => RoleStatements(values, "GitHubDeployRoleArn");

    /// <summary>The statements of the inline policies of the role the stack's output of that name gives.</summary>
    private static List<JsonElement> RoleStatements(TemplateValues values, string output) =>
        [.. values.Items(values.Property(values.Resources.GetProperty(ReferencedResource(values.Output(output))), "Policies")!.Value)
            .SelectMany(policy => values.Items(policy.GetProperty("PolicyDocument").GetProperty("Statement")))];

    private static JsonElement DeployRoleTrust(TemplateValues values) =>
        Assert.Single(values.Items(values.Property(DeployRole(values), "AssumeRolePolicyDocument")!.Value.GetProperty("Statement")));

    private static List<JsonElement> WebAclRules(TemplateValues values) =>
        [.. values.Items(values.Property(Assert.Single(values.Created("AWS::WAFv2::WebACL")).Resource, "Rules")!.Value)
            .OrderBy(r => r.GetProperty("Priority").GetInt32())];

    private static string? ManagedRuleGroup(JsonElement rule) =>
        rule.GetProperty("Statement").TryGetProperty("ManagedRuleGroupStatement", out var group) ? group.GetProperty("Name").GetString() : null;

    /// <summary>The path a WAF statement leaves out: <c>NOT (the URI path is exactly ...)</c>.</summary>
    private static string? ExemptPath(JsonElement statement) => MatchedPath(statement.GetProperty("NotStatement").GetProperty("Statement"));

    /// <summary>The path a WAF statement matches: <c>the URI path is exactly ...</c>.</summary>
    private static string? MatchedPath(JsonElement statement)
    {
        var match = statement.GetProperty("ByteMatchStatement");
        Assert.True(match.GetProperty("FieldToMatch").TryGetProperty("UriPath", out _));
        Assert.Equal("EXACTLY", match.GetProperty("PositionalConstraint").GetString());
        return match.GetProperty("SearchString").GetString();
    }

    /// <summary>Stripe's webhook route, as payments maps it.</summary>
    private static string StripeWebhookPath()
    {
        var route = WebhookRoute().Match(Repository.Read("services/payments/Apis/WebhooksApi.cs"));
        Assert.True(route.Success, "payments should map its Stripe webhook with MapGroup(...).MapPost(...)");
        return route.Groups["group"].Value + route.Groups["path"].Value;
    }

    private static List<JsonElement> BucketPolicyStatements(TemplateValues values, string bucketId)
    {
        var (_, policy) = Assert.Single(values.Created("AWS::S3::BucketPolicy"),
            p => values.Text(values.Property(p.Resource, "Bucket")!.Value) == $"<{bucketId}>");
        return [.. values.Items(values.Property(policy, "PolicyDocument")!.Value.GetProperty("Statement"))];
    }

    /// <summary>The resource a <c>Ref</c> or a <c>GetAtt</c> points at.</summary>
    private static string ReferencedResource(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } reference)
        {
            Assert.Fail($"{value?.GetRawText()} should refer to a resource of the stack");
            return "";
        }

        return reference.TryGetProperty("Ref", out var name) ? name.GetString()! : reference.GetProperty("Fn::GetAtt")[0].GetString()!;
    }

    private static List<string> Actions(TemplateValues values, JsonElement statement) => TextList(values, statement.GetProperty("Action"));

    private static List<string> Resources(TemplateValues values, JsonElement statement) => TextList(values, statement.GetProperty("Resource"));

    private static List<string> Principals(TemplateValues values, JsonElement statement, string kind) =>
        statement.TryGetProperty("Principal", out var principal) && values.Chosen(principal) is { ValueKind: JsonValueKind.Object } chosen
            && chosen.TryGetProperty(kind, out var named)
            ? TextList(values, named)
            : [];

    private static List<string> DependsOn(JsonElement resource) =>
        !resource.TryGetProperty("DependsOn", out var dependsOn) ? []
        : dependsOn.ValueKind == JsonValueKind.String ? [dependsOn.GetString()!]
        : [.. dependsOn.EnumerateArray().Select(d => d.GetString()!)];

    private static List<string> TextList(TemplateValues values, JsonElement value) =>
        values.Chosen(value).ValueKind == JsonValueKind.Array ? [.. values.Items(value).Select(values.Text)] : [values.Text(value)];

    /// <summary>An AWS CLI call where a command starts: at the start of a line, or after <c>(</c>, <c>|</c>, <c>;</c>, <c>&amp;</c> or <c>{</c>.</summary>
    [GeneratedRegex(@"(?:^|[(|;&{])\s*aws (?<service>[a-z0-9-]+) (?<command>[a-z0-9-]+)(?: (?<waiter>[a-z][a-z0-9-]*))?")]
    private static partial Regex AwsCall();

    [GeneratedRegex(@"MapGroup\(""(?<group>[^""]+)""\)[\s\S]*?\.MapPost\(""(?<path>[^""]+)""")]
    private static partial Regex WebhookRoute();

    [GeneratedRegex(@"^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:<(?<id>[A-Za-z0-9]+)>$")]
    private static partial Regex LogGroupArn();
}
