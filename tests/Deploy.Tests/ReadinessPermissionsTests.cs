using System.Text.Json;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>A readiness check on AWS may call only what the service's task role allows, or the service never becomes ready.</summary>
public sealed partial class ReadinessPermissionsTests
{
    /// <summary>The IAM action each S3 call needs (HeadBucket is authorised as ListBucket on the bucket).</summary>
    private static readonly Dictionary<string, string> S3Actions = new(StringComparer.Ordinal)
    {
        ["HeadBucket"] = "s3:ListBucket",
        ["GetBucketLocation"] = "s3:GetBucketLocation",
    };

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task The_bucket_readiness_check_calls_only_what_the_services_task_role_allows_on_its_bucket(string service, string assembly)
    {
        _ = assembly;
        if (BucketVariable().Match(Repository.Read($"services/{service}/Program.cs")) is not { Success: true } added)
        {
            return; // the service has no bucket
        }

        var values = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });
        var taskDefinition = Repository.ReadJson($"deploy/ecs-task-defs/{service}.json");
        var bucketOutput = Placeholder(taskDefinition.GetProperty("containerDefinitions")[0].GetProperty("environment").EnumerateArray()
            .Single(variable => variable.GetProperty("name").GetString() == added.Groups["variable"].Value).GetProperty("value").GetString()!);
        var bucketArn = $"<{values.Output(bucketOutput).GetProperty("Ref").GetString()}.Arn>";
        var roleName = taskDefinition.GetProperty("taskRoleArn").GetString()!.Split('/')[^1]
            .Replace("${EnvironmentName}", "production", StringComparison.Ordinal);
        var (_, role) = Assert.Single(values.Created("AWS::IAM::Role"), r => values.Text(values.Property(r.Resource, "RoleName")!.Value) == roleName);
        var allowed = values.Items(values.Property(role, "Policies")!.Value)
            .SelectMany(policy => values.Items(policy.GetProperty("PolicyDocument").GetProperty("Statement")))
            .Where(statement => statement.GetProperty("Effect").GetString() == "Allow" && Texts(values, statement.GetProperty("Resource")).Contains(bucketArn))
            .SelectMany(statement => Texts(values, statement.GetProperty("Action")))
            .ToHashSet(StringComparer.Ordinal);

        var calls = S3Call().Matches(Repository.Read("platform/Aws/S3BucketHealthCheck.cs")).Select(call => call.Groups["operation"].Value).ToList();
        Assert.NotEmpty(calls);
        foreach (var call in calls)
        {
            Assert.True(S3Actions.TryGetValue(call, out var action),
                $"the readiness check calls S3's {call}: add the IAM action it needs to {nameof(S3Actions)}");
            Assert.True(allowed.Contains(action), $"{roleName} does not allow {action} on {bucketArn}, which the readiness check's {call} needs");
        }
    }

    private static string Placeholder(string value) => Repository.Placeholder().Match(value).Groups["name"].Value;

    private static List<string> Texts(TemplateValues values, JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? [.. values.Items(value).Select(values.Text)] : [values.Text(value)];

    [GeneratedRegex("""AddS3Bucket\("(?<variable>[A-Z_]+)"\)""")]
    private static partial Regex BucketVariable();

    [GeneratedRegex(@"s3\.(?<operation>[A-Za-z]+)Async\(")]
    private static partial Regex S3Call();
}
