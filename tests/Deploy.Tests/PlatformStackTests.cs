using System.Text.Json;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>
/// deploy/cloudformation/platform.yaml itself, created in an AWS emulator by deploy/deploy-infrastructure.sh
/// (<see cref="EmulatedPlatform"/>): the stack
/// is complete, holds each resource the template makes for its parameters and gives the outputs it declares, and what
/// it made reads back with the AWS CLI as the template says.
/// </summary>
public sealed partial class PlatformStackTests(EmulatedPlatform platform) : IClassFixture<EmulatedPlatform>
{
    private const string AccountId = TemplateValues.AccountId;
    private const string Region = TemplateValues.Region;

    /// <summary>The values the fixture gives deploy-infrastructure.sh for the parameters CloudFormation does not echo.</summary>
    private static readonly Dictionary<string, string> SecretParameters = new()
    {
        ["StripeSecretKey"] = "sk_test_emulated",
        ["StripeWebhookSecret"] = "whsec_emulated",
    };

    [Fact]
    public async Task The_stack_is_created_complete_from_the_template_itself()
    {
        var stack = await StackAsync(EmulatedPlatform.StackName);

        Assert.Equal("CREATE_COMPLETE", stack.GetProperty("StackStatus").GetString());
    }

    [Fact]
    public async Task The_template_went_through_a_private_tls_only_bucket_of_the_account_as_it_is_too_large_to_send_inline()
    {
        // CloudFormation takes at most 51,200 bytes inline; a larger template must be read from S3.
        Assert.True(new FileInfo(Path.Combine(Repository.Root, "deploy/cloudformation/platform.yaml")).Length > 51_200);
        var bucket = $"mycomputer-cloudformation-{AccountId}-{Region}";

        var objects = await platform.AwsAsync("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", $"{EmulatedPlatform.StackName}/");
        Assert.NotEmpty(objects.GetProperty("Contents").EnumerateArray());
        var block = (await platform.AwsAsync("s3api", "get-public-access-block", "--bucket", bucket)).GetProperty("PublicAccessBlockConfiguration");
        Assert.All(block.EnumerateObject(), setting => Assert.True(setting.Value.GetBoolean(), setting.Name));
        var policy = JsonDocument.Parse((await platform.AwsAsync("s3api", "get-bucket-policy", "--bucket", bucket)).GetProperty("Policy").GetString()!);
        var statement = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray());
        Assert.Equal("Deny", statement.GetProperty("Effect").GetString());
        Assert.Equal("false", statement.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }

    [Fact]
    public void The_emulator_skips_no_resource_type_of_the_template_as_unsupported()
    {
        Assert.DoesNotContain("No Moto CloudFormation support", platform.EmulatorLog, StringComparison.Ordinal);
        Assert.DoesNotContain("not supported by moto's CloudFormation implementation", platform.EmulatorLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_resource_whose_condition_holds_is_in_the_stack_with_its_type()
    {
        var values = await ValuesAsync();
        var expected = values.Created().Select(r => (r.Id, Type: r.Resource.GetProperty("Type").GetString()!)).Order();

        var actual = (await ResourcesAsync()).Select(r => (Id: r.GetProperty("LogicalResourceId").GetString()!,
            Type: r.GetProperty("ResourceType").GetString()!)).Order();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task The_stack_gives_exactly_the_outputs_the_template_declares_for_its_parameters()
    {
        var values = await ValuesAsync();
        var expected = (await Repository.TemplateAsync()).GetProperty("Outputs").EnumerateObject()
            .Where(o => !o.Value.TryGetProperty("Condition", out var condition) || values.Holds(condition.GetString()!))
            .Select(o => o.Name);

        Assert.Equal(expected.Order(StringComparer.Ordinal), platform.StackOutputs.Keys.Order(StringComparer.Ordinal));
        Assert.Subset(platform.StackOutputs.Keys.ToHashSet(), Repository.TemplateOutputs());
    }

    [Fact]
    public async Task Each_output_that_refers_to_a_resource_is_that_resource_and_each_other_is_its_value()
    {
        var values = await ValuesAsync();
        var resources = await PhysicalIdsAsync();
        var checkedOutputs = 0;

        foreach (var (name, value) in platform.StackOutputs)
        {
            var output = values.Chosen(values.Output(name));
            var text = values.Text(output);
            if (output.ValueKind == JsonValueKind.Object && output.TryGetProperty("Ref", out var reference) && resources.ContainsKey(reference.GetString()!))
            {
                Assert.Equal(resources[reference.GetString()!], value);
                checkedOutputs++;
            }
            else if (!text.Contains('<', StringComparison.Ordinal))
            {
                Assert.Equal(text, value);
                checkedOutputs++;
            }
        }

        // The secrets' ARNs among them, which the emulator's shim answers as their Ref.
        Assert.Contains(platform.StackOutputs["StripeSecretKeySecretArn"], resources.Values);
        Assert.True(checkedOutputs > platform.StackOutputs.Count / 2, $"only {checkedOutputs} outputs could be checked");
    }

    [Fact]
    public async Task Each_queue_hands_what_it_cannot_deliver_to_its_dead_letter_queue_as_the_template_says()
    {
        var values = await ValuesAsync();
        var queues = values.Created("AWS::SQS::Queue").Where(q => values.Property(q.Resource, "RedrivePolicy") is not null).ToList();
        Assert.NotEmpty(queues);

        foreach (var (id, queue) in queues)
        {
            var redrive = values.Property(queue, "RedrivePolicy")!.Value;
            var deadLetterQueue = values.Resources.GetProperty(redrive.GetProperty("deadLetterTargetArn").GetProperty("Fn::GetAtt")[0].GetString()!);
            var deadLetterName = values.Text(values.Property(deadLetterQueue, "QueueName")!.Value);
            var attributes = await QueueAttributesAsync(values.Text(values.Property(queue, "QueueName")!.Value));
            await QueueAttributesAsync(deadLetterName);

            var policy = JsonDocument.Parse(attributes.GetProperty("RedrivePolicy").GetString()!).RootElement;
            Assert.Equal($"arn:aws:sqs:{Region}:{AccountId}:{deadLetterName}", policy.GetProperty("deadLetterTargetArn").GetString());
            Assert.Equal(values.Text(redrive.GetProperty("maxReceiveCount")), policy.GetProperty("maxReceiveCount").GetRawText());
            foreach (var property in new[] { "MessageRetentionPeriod", "VisibilityTimeout", "ReceiveMessageWaitTimeSeconds" })
            {
                Assert.True(values.Text(values.Property(queue, property)!.Value) == attributes.GetProperty(property).GetString(), $"{id}: {property}");
            }
        }
    }

    [Fact]
    public async Task Each_secret_has_its_name_and_its_given_value_or_a_generated_password_of_the_template_s_length()
    {
        var values = await ValuesAsync();
        var resources = await PhysicalIdsAsync();
        var secrets = values.Created("AWS::SecretsManager::Secret").ToList();
        Assert.NotEmpty(secrets);
        var stored = await SecretsAsync(secrets.Select(s => resources[s.Id]));

        foreach (var (id, secret) in secrets)
        {
            var (name, value) = stored[resources[id]];
            Assert.Equal(values.Text(values.Property(secret, "Name")!.Value), name);

            if (values.Property(secret, "GenerateSecretString") is { } generate)
            {
                Assert.Equal(generate.GetProperty("PasswordLength").GetInt32(), value.Length);
                Assert.True(!generate.TryGetProperty("ExcludePunctuation", out var exclude) || !exclude.GetBoolean() || value.All(char.IsAsciiLetterOrDigit),
                    $"{id}: {value}");
            }
            else if (values.Property(secret, "SecretString")!.Value.TryGetProperty("Ref", out var parameter))
            {
                var given = parameter.GetString()!;
                if (given == "JwtSigningKeyPem")
                {
                    Assert.StartsWith("-----BEGIN PRIVATE KEY-----", value, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal(SecretParameters[given], value);
                }
            }
        }
    }

    [Fact]
    public async Task Each_service_s_redis_url_holds_its_own_user_s_password_and_the_cache_s_primary_endpoint()
    {
        var values = await ValuesAsync();
        var resources = await PhysicalIdsAsync();
        var cache = (await platform.AwsAsync("elasticache", "describe-replication-groups", "--replication-group-id", resources["Cache"]))
            .GetProperty("ReplicationGroups")[0].GetProperty("NodeGroups")[0].GetProperty("PrimaryEndpoint");
        var users = (await platform.AwsAsync("elasticache", "describe-users")).GetProperty("Users").EnumerateArray()
            .ToDictionary(u => u.GetProperty("UserId").GetString()!, u => u.GetProperty("UserName").GetString()!);
        var urls = values.Created("AWS::SecretsManager::Secret").Where(s => s.Id.EndsWith("RedisUrlSecret", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(urls);
        var stored = await SecretsAsync(values.Created("AWS::SecretsManager::Secret").Select(s => resources[s.Id]));

        foreach (var (id, secret) in urls)
        {
            // rediss://<user>:{{resolve:secretsmanager:${<its password secret>}}}@${Cache.PrimaryEndPoint.Address}:${Cache.PrimaryEndPoint.Port}
            var template = values.Property(secret, "SecretString")!.Value.GetProperty("Fn::Sub").GetString()!;
            var password = stored[resources[PasswordReference().Match(template).Groups["secret"].Value]].Value;
            var user = template["rediss://".Length..template.IndexOf(':', "rediss://".Length)];
            var expected = $"rediss://{user}:{password}@{cache.GetProperty("Address").GetString()}:{cache.GetProperty("Port").GetInt32()}";

            Assert.Equal(expected, stored[resources[id]].Value);
            Assert.Contains(user, users.Values);
        }
    }

    [Fact]
    public async Task Each_alarm_exists_with_its_metric_and_tells_the_alarm_topic_as_the_template_says()
    {
        var values = await ValuesAsync();
        var resources = await PhysicalIdsAsync();
        var topic = platform.StackOutputs["AlarmTopicArn"];
        var alarms = (await platform.AwsAsync("cloudwatch", "describe-alarms", "--alarm-name-prefix", "mycomputer-production-"))
            .GetProperty("MetricAlarms").EnumerateArray().ToDictionary(a => a.GetProperty("AlarmName").GetString()!);
        var created = values.Created("AWS::CloudWatch::Alarm").ToList();
        Assert.NotEmpty(created);

        // The stand-ins TemplateValues gives references to resources, as the stack resolved them.
        string Resolved(string text) => text switch
        {
            "<LoadBalancer.LoadBalancerFullName>" => platform.StackOutputs["LoadBalancerArn"].Split(":loadbalancer/")[1],
            ['<', .. var queue, '>'] when queue.EndsWith(".QueueName", StringComparison.Ordinal) =>
                values.Text(values.Property(values.Resources.GetProperty(queue.Split('.')[0]), "QueueName")!.Value),
            ['<', .. var resource, '>'] => resources[resource],
            _ => text,
        };

        foreach (var (id, alarm) in created)
        {
            var name = values.Text(values.Property(alarm, "AlarmName")!.Value);
            Assert.True(alarms.TryGetValue(name, out var actual), $"{id}: no alarm {name}");
            Assert.All(values.Items(values.Property(alarm, "AlarmActions")!.Value), action => Assert.Equal("<AlarmTopic>", values.Text(action)));
            Assert.Equal([topic], actual.GetProperty("AlarmActions").EnumerateArray().Select(a => a.GetString()));
            var okActions = values.Property(alarm, "OKActions") is null ? [] : new[] { topic };
            Assert.Equal(okActions, actual.GetProperty("OKActions").EnumerateArray().Select(a => a.GetString()));

            var dimensions = values.Property(alarm, "Dimensions") is { } given
                ? values.Items(given).Select(d => $"{values.Text(d.GetProperty("Name"))}={Resolved(values.Text(d.GetProperty("Value")))}")
                : [];
            Assert.Equal(dimensions, actual.GetProperty("Dimensions").EnumerateArray().Select(d => $"{d.GetProperty("Name")}={d.GetProperty("Value")}"));
            var metrics = values.Property(alarm, "Metrics") is { } math ? values.Items(math).Select(m => values.Text(m.GetProperty("Id"))) : [];
            var queries = actual.TryGetProperty("Metrics", out var read) ? read.EnumerateArray().Select(q => q.GetProperty("Id").GetString()!) : [];
            Assert.Equal(metrics, queries);
        }
    }

    [Fact]
    public async Task The_web_acl_guards_the_load_balancer_with_the_template_s_rules_and_logs_to_its_log_group()
    {
        var values = await ValuesAsync();
        var (_, webAcl) = values.Created("AWS::WAFv2::WebACL").Single();

        var acl = (await platform.AwsAsync("wafv2", "get-web-acl-for-resource", "--resource-arn", platform.StackOutputs["LoadBalancerArn"]))
            .GetProperty("WebACL");
        Assert.Equal(values.Text(values.Property(webAcl, "Name")!.Value), acl.GetProperty("Name").GetString());
        Assert.Equal(values.Items(values.Property(webAcl, "Rules")!.Value).Select(r => values.Text(r.GetProperty("Name"))),
            acl.GetProperty("Rules").EnumerateArray().Select(r => r.GetProperty("Name").GetString()!));

        var logging = (await platform.AwsAsync("wafv2", "get-logging-configuration", "--resource-arn", acl.GetProperty("ARN").GetString()!))
            .GetProperty("LoggingConfiguration");
        var (_, logGroup) = values.Created("AWS::Logs::LogGroup").Single(g => g.Id == "WafLogGroup");
        Assert.Equal($"arn:aws:logs:{Region}:{AccountId}:log-group:{values.Text(values.Property(logGroup, "LogGroupName")!.Value)}",
            Assert.Single(logging.GetProperty("LogDestinationConfigs").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Each_bucket_has_the_policy_the_template_gives_it()
    {
        var values = await ValuesAsync();
        var resources = await PhysicalIdsAsync();
        var policies = values.Created("AWS::S3::BucketPolicy").ToList();
        Assert.NotEmpty(policies);

        foreach (var (id, policy) in policies)
        {
            var bucket = resources[values.Property(policy, "Bucket")!.Value.GetProperty("Ref").GetString()!];
            var actual = JsonDocument.Parse((await platform.AwsAsync("s3api", "get-bucket-policy", "--bucket", bucket)).GetProperty("Policy").GetString()!);

            var statements = values.Items(values.Property(policy, "PolicyDocument")!.Value.GetProperty("Statement"));
            Assert.True(statements.Select(s => values.Text(s.GetProperty("Sid"))).SequenceEqual(
                actual.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.GetProperty("Sid").GetString()!)), id);
        }
    }

    [Fact]
    public async Task A_second_environment_creates_the_GitHub_OIDC_provider_its_deploy_role_trusts_and_an_update_changes_a_secret_in_place()
    {
        const string stack = "mycomputer-staging";
        (string, string)[] staging = [("IMAGE_REPOSITORIES", "shared"), ("GITHUB_REPOSITORY", "mycomputer/platform")];
        var outputs = await platform.DeployInfrastructureAsync("staging", staging);

        var providers = (await platform.AwsAsync("iam", "list-open-id-connect-providers")).GetProperty("OpenIDConnectProviderList");
        var provider = Assert.Single(providers.EnumerateArray()).GetProperty("Arn").GetString();
        Assert.Equal($"arn:aws:iam::{AccountId}:oidc-provider/token.actions.githubusercontent.com", provider);
        var role = (await platform.AwsAsync("iam", "get-role", "--role-name", "mycomputer-staging-github-deploy")).GetProperty("Role");
        Assert.Equal(outputs["GitHubDeployRoleArn"], role.GetProperty("Arn").GetString());
        Assert.Equal(provider,
            role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Federated").GetString());

        // A rotation of Stripe's key, as deploy/README.md has it: the script again, given the new key alone.
        await platform.DeployInfrastructureAsync("staging", [.. staging, ("STRIPE_SECRET_KEY", "sk_test_rotated")]);

        var updated = await StackAsync(stack);
        Assert.Equal("UPDATE_COMPLETE", updated.GetProperty("StackStatus").GetString());
        var secret = updated.GetProperty("Outputs").EnumerateArray().Single(o => o.GetProperty("OutputKey").GetString() == "StripeSecretKeySecretArn");
        Assert.Equal(outputs["StripeSecretKeySecretArn"], secret.GetProperty("OutputValue").GetString());
        Assert.Equal("sk_test_rotated", await SecretValueAsync(outputs["StripeSecretKeySecretArn"]));
    }

    /// <summary>The template's values for the parameters mycomputer-production was created with.</summary>
    private async Task<TemplateValues> ValuesAsync()
    {
        var parameters = (await StackAsync(EmulatedPlatform.StackName)).GetProperty("Parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("ParameterKey").GetString()!, p => p.GetProperty("ParameterValue").GetString()!);
        return new TemplateValues(await Repository.TemplateAsync(), parameters, Region);
    }

    private async Task<JsonElement> StackAsync(string name) =>
        (await platform.AwsAsync("cloudformation", "describe-stacks", "--stack-name", name)).GetProperty("Stacks")[0];

    /// <summary>mycomputer-production's resources (the emulator also lists, without a logical id, those it did not create).</summary>
    private async Task<List<JsonElement>> ResourcesAsync() =>
        (await platform.AwsAsync("cloudformation", "describe-stack-resources", "--stack-name", EmulatedPlatform.StackName))
            .GetProperty("StackResources").EnumerateArray()
            .Where(r => r.TryGetProperty("LogicalResourceId", out var id) && id.ValueKind == JsonValueKind.String).ToList();

    /// <summary>Each resource's physical id (its Ref), by logical id.</summary>
    private async Task<Dictionary<string, string>> PhysicalIdsAsync() =>
        (await ResourcesAsync()).Where(r => r.TryGetProperty("PhysicalResourceId", out var id) && id.ValueKind == JsonValueKind.String)
            .ToDictionary(r => r.GetProperty("LogicalResourceId").GetString()!, r => r.GetProperty("PhysicalResourceId").GetString()!);

    private async Task<string> SecretValueAsync(string secret) =>
        (await platform.AwsAsync("secretsmanager", "get-secret-value", "--secret-id", secret)).GetProperty("SecretString").GetString()!;

    /// <summary>Each secret's name and value, by ARN (read 20 at a time, as many as Secrets Manager gives in one call).</summary>
    private async Task<Dictionary<string, (string Name, string Value)>> SecretsAsync(IEnumerable<string> arns)
    {
        var secrets = new Dictionary<string, (string Name, string Value)>();
        foreach (var chunk in arns.Chunk(20))
        {
            var answer = await platform.AwsAsync(["secretsmanager", "batch-get-secret-value", "--secret-id-list", .. chunk]);
            Assert.Empty(answer.GetProperty("Errors").EnumerateArray());
            foreach (var secret in answer.GetProperty("SecretValues").EnumerateArray())
            {
                secrets[secret.GetProperty("ARN").GetString()!] = (secret.GetProperty("Name").GetString()!, secret.GetProperty("SecretString").GetString()!);
            }
        }

        return secrets;
    }

    private async Task<JsonElement> QueueAttributesAsync(string queue)
    {
        var url = (await platform.AwsAsync("sqs", "get-queue-url", "--queue-name", queue)).GetProperty("QueueUrl").GetString()!;
        return (await platform.AwsAsync("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All")).GetProperty("Attributes");
    }

    /// <summary>A dynamic reference to a secret of the stack, by its logical id.</summary>
    [GeneratedRegex(@"\{\{resolve:secretsmanager:\$\{(?<secret>[A-Za-z0-9]+)\}\}\}")]
    private static partial Regex PasswordReference();
}
