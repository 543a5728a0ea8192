using System.Text.Json;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>
/// Least privilege in the data stores on AWS, from the template and the task definitions as data: each service runs as
/// its own PostgreSQL role and its own ElastiCache user, and only the one-off migrate task, which runs first, is given the
/// master user that owns the schemas.
/// </summary>
public sealed class DataStoreAccessTests
{
    private static JsonElement TaskDefinition(string service) => Repository.ReadJson($"deploy/ecs-task-defs/{service}.json");

    private static JsonElement Container(string service, string name) =>
        TaskDefinition(service).GetProperty("containerDefinitions").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static Dictionary<string, string> Pairs(JsonElement container, string list, string value) =>
        container.TryGetProperty(list, out var items)
            ? items.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty(value).GetString()!)
            : [];

    private static string Pascal(string service) => char.ToUpperInvariant(service[0]) + service[1..];

    private static async Task<TemplateValues> ProductionAsync() =>
        new(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });

    [Fact]
    public async Task Each_services_redis_user_reaches_its_own_key_prefix_alone_and_the_default_user_is_off()
    {
        var values = await ProductionAsync();
        var users = values.Created("AWS::ElastiCache::User").ToDictionary(
            u => values.Text(values.Property(u.Resource, "UserName")!.Value),
            u => (u.Id, Access: values.Text(values.Property(u.Resource, "AccessString")!.Value)));

        var redisServices = Topology.Services.Where(s => s.Value.Redis).Select(s => s.Key).ToList();
        Assert.Equal(redisServices.Append("default").Order(StringComparer.Ordinal), users.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("off ", users["default"].Access, StringComparison.Ordinal);
        foreach (var service in redisServices)
        {
            var rules = users[service].Access.Split(' ');
            Assert.Equal("on", rules[0]);
            Assert.Equal([$"~{service}:*"], rules.Where(rule => rule.StartsWith('~') || rule.StartsWith('%') || rule == "allkeys"));
            Assert.DoesNotContain(rules, rule => rule.StartsWith('&') || rule == "allchannels");
            foreach (var removed in new[] { "-@admin", "-@dangerous", "-@pubsub", "-scan", "-randomkey" })
            {
                Assert.Contains(removed, rules);
            }
        }

        var group = Assert.Single(values.Created("AWS::ElastiCache::UserGroup"));
        Assert.Equal(users.Values.Select(u => $"<{u.Id}>").Order(StringComparer.Ordinal),
            values.Items(values.Property(group.Resource, "UserIds")!.Value).Select(values.Text).Order(StringComparer.Ordinal));
        var cache = Assert.Single(values.Created("AWS::ElastiCache::ReplicationGroup")).Resource;
        Assert.Equal([$"<{group.Id}>"], values.Items(values.Property(cache, "UserGroupIds")!.Value).Select(values.Text));
        Assert.Null(values.Property(cache, "AuthToken")); // one token for every client is what the users replace
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task The_service_connects_as_its_own_database_role_and_redis_user_and_never_migrates(string service, string assembly)
    {
        _ = assembly;
        var values = await ProductionAsync();
        var app = Container(service, service);
        var environment = Pairs(app, "environment", "value");
        var secrets = Pairs(app, "secrets", "valueFrom");

        Assert.DoesNotContain(environment.Keys.Concat(secrets.Keys), name => name.StartsWith("DB_MIGRATION_", StringComparison.Ordinal));
        if (Topology.Services[service].Database)
        {
            Assert.Equal(service, environment["DB_USER"]);
            Assert.Equal("false", environment["DB_MIGRATE_ON_STARTUP"]);
            Assert.Equal($"${{{Pascal(service)}DatabasePasswordSecretArn}}", environment["DB_PASSWORD_ARN"]);
            Assert.Equal($"mycomputer/production/{service}/database-password", SecretName(values, $"{Pascal(service)}DatabasePasswordSecretArn"));
        }
        else
        {
            Assert.DoesNotContain(environment.Keys.Concat(secrets.Keys), name => name.StartsWith("DB_", StringComparison.Ordinal));
        }

        if (Topology.Services[service].Redis)
        {
            Assert.Equal($"${{{Pascal(service)}RedisUrlSecretArn}}", secrets["REDIS_URL"]);
            var url = values.Text(values.Property(values.Resources.GetProperty($"{Pascal(service)}RedisUrlSecret"), "SecretString")!.Value);
            Assert.StartsWith($"rediss://{service}:{{{{resolve:secretsmanager:<{Pascal(service)}RedisPasswordSecret>}}}}@", url, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(secrets.ContainsKey("REDIS_URL"), $"{service} uses no Redis, so it has no Redis user");
        }
    }

    [Theory]
    [MemberData(nameof(Repository.ServicesWithDatabase), MemberType = typeof(Repository))]
    public async Task The_one_off_migrate_task_runs_the_services_image_as_the_owner_whose_password_only_it_is_given(string service, string assembly)
    {
        var app = Container(service, service);
        var task = Repository.ReadJson($"deploy/ecs-task-defs/{service}-migrate.json");
        var migrate = Assert.Single(task.GetProperty("containerDefinitions").EnumerateArray());
        var environment = Pairs(migrate, "environment", "value");
        var secrets = Pairs(migrate, "secrets", "valueFrom");

        Assert.Equal(["migrate"], migrate.GetProperty("command").EnumerateArray().Select(c => c.GetString()));
        Assert.True(migrate.GetProperty("essential").GetBoolean()); // its exit code is the task's, which deploy.sh checks
        Assert.Equal(app.GetProperty("image").GetString(), migrate.GetProperty("image").GetString());
        Assert.Equal(TaskDefinition(service).GetProperty("taskRoleArn").GetString(), task.GetProperty("taskRoleArn").GetString());
        // The service itself never migrates, and is not given the owner's password.
        Assert.Equal("false", Pairs(app, "environment", "value")["DB_MIGRATE_ON_STARTUP"]);
        Assert.DoesNotContain(TaskDefinition(service).GetProperty("containerDefinitions").EnumerateArray(),
            c => Pairs(c, "secrets", "valueFrom").ContainsKey("DB_MIGRATION_PASSWORD"));
        Assert.Equal("${DatabaseMasterUser}", environment["DB_MIGRATION_USER"]);
        Assert.Equal("${DatabaseMasterPasswordSecretArn}", secrets["DB_MIGRATION_PASSWORD"]); // injected by ECS: no task role reads it
        Assert.Equal(Pairs(app, "environment", "value")["DB_USER"], environment["DB_USER"]);
        Assert.Equal(Pairs(app, "environment", "value")["DB_PASSWORD_ARN"], environment["DB_PASSWORD_ARN"]);
        var given = environment.Keys.Concat(secrets.Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var alternatives in await Repository.RequiredVariablesAsync(service, assembly))
        {
            Assert.True(alternatives.Any(given.Contains), $"{service}'s migrate task needs {string.Join(" or ", alternatives)}");
        }
    }

    [Fact]
    public async Task No_task_role_may_read_the_master_password_or_another_services_database_password()
    {
        var values = await ProductionAsync();
        string[] databaseSecrets = ["DatabasePasswordSecret", .. Repository.ServicesWithDatabase.Select(s => $"{Pascal((string)s[0])}DatabasePasswordSecret")];

        foreach (var service in Repository.ServicesWithDatabase.Select(s => (string)s[0]))
        {
            var role = values.Resources.GetProperty($"{Pascal(service)}TaskRole");
            var documents = values.Items(values.Property(role, "Policies")!.Value).Select(p => p.GetProperty("PolicyDocument"))
                .Concat(values.Items(values.Property(role, "ManagedPolicyArns")!.Value)
                    .Where(arn => arn.TryGetProperty("Ref", out _))
                    .Select(arn => values.Property(values.Resources.GetProperty(arn.GetProperty("Ref").GetString()!), "PolicyDocument")!.Value));
            var readable = documents.SelectMany(d => values.Items(d.GetProperty("Statement")))
                .Where(statement => Texts(values, statement.GetProperty("Action")).Contains("secretsmanager:GetSecretValue"))
                .SelectMany(statement => Texts(values, statement.GetProperty("Resource")))
                .Select(resource => resource.Trim('<', '>'))
                .Where(databaseSecrets.Contains);

            Assert.Equal([$"{Pascal(service)}DatabasePasswordSecret"], readable);
        }
    }

    // A statement's Action or Resource: one value or a list of them.
    private static IEnumerable<string> Texts(TemplateValues values, JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? values.Items(value).Select(values.Text) : [values.Text(value)];

    private static string SecretName(TemplateValues values, string output) =>
        values.Text(values.Property(values.Resources.GetProperty(values.Output(output).GetProperty("Ref").GetString()!), "Name")!.Value);
}
