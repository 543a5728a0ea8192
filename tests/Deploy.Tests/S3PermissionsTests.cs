using System.Text.Json;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>
/// On AWS a service may call S3 for only what its task role allows on its bucket: a readiness check that calls more never
/// becomes ready, and a service call that does fails the feature (erasure, say) there and nowhere else.
/// </summary>
public sealed partial class S3PermissionsTests
{
    /// <summary>The IAM action each S3 call needs, and whether on the bucket or on its objects.</summary>
    private static readonly Dictionary<string, (string Action, bool OnObjects)> S3Actions = new(StringComparer.Ordinal)
    {
        ["HeadBucket"] = ("s3:ListBucket", false), // HeadBucket is authorised as ListBucket
        ["GetBucketLocation"] = ("s3:GetBucketLocation", false),
        ["ListObjectsV2"] = ("s3:ListBucket", false),
        ["ListVersions"] = ("s3:ListBucketVersions", false),
        ["GetObject"] = ("s3:GetObject", true),
        ["PutObject"] = ("s3:PutObject", true),
        ["DeleteObject"] = ("s3:DeleteObject", true),
        ["DeleteObjects"] = ("s3:DeleteObject", true),
    };

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task The_bucket_readiness_check_calls_only_what_the_services_task_role_allows_on_its_bucket(string service, string assembly)
    {
        _ = assembly;
        if (await BucketAccessAsync(service) is not { } access)
        {
            return; // the service has no bucket
        }

        AssertAllowed(access, "the readiness check", Repository.Read("platform/Aws/S3BucketHealthCheck.cs"));
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Every_s3_call_in_a_services_code_is_allowed_by_its_task_role_on_its_bucket(string service, string assembly)
    {
        _ = assembly;
        if (await BucketAccessAsync(service) is not { } access)
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "services", service), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            AssertAllowed(access, Path.GetRelativePath(Repository.Root, file), File.ReadAllText(file));
        }
    }

    private sealed record BucketAccess(string RoleName, string BucketArn, HashSet<string> OnBucket, HashSet<string> OnObjects);

    /// <summary>What the service's task role allows on the bucket its <c>AddS3Bucket</c> names; null when it has none.</summary>
    private static async Task<BucketAccess?> BucketAccessAsync(string service)
    {
        if (BucketVariable().Match(Repository.Read($"services/{service}/Program.cs")) is not { Success: true } added)
        {
            return null;
        }

        var values = new TemplateValues(await Repository.TemplateAsync(), new Dictionary<string, string> { ["EnvironmentName"] = "production" });
        var taskDefinition = Repository.ReadJson($"deploy/ecs-task-defs/{service}.json");
        var bucketOutput = Placeholder(taskDefinition.GetProperty("containerDefinitions")[0].GetProperty("environment").EnumerateArray()
            .Single(variable => variable.GetProperty("name").GetString() == added.Groups["variable"].Value).GetProperty("value").GetString()!);
        var bucketArn = $"<{values.Output(bucketOutput).GetProperty("Ref").GetString()}.Arn>";
        var roleName = taskDefinition.GetProperty("taskRoleArn").GetString()!.Split('/')[^1]
            .Replace("${EnvironmentName}", "production", StringComparison.Ordinal);
        var (_, role) = Assert.Single(values.Created("AWS::IAM::Role"), r => values.Text(values.Property(r.Resource, "RoleName")!.Value) == roleName);
        var statements = values.Items(values.Property(role, "Policies")!.Value)
            .SelectMany(policy => values.Items(policy.GetProperty("PolicyDocument").GetProperty("Statement")))
            .Where(statement => statement.GetProperty("Effect").GetString() == "Allow")
            .ToList();
        HashSet<string> Allowed(string resource) => statements
            .Where(statement => Texts(values, statement.GetProperty("Resource")).Contains(resource))
            .SelectMany(statement => Texts(values, statement.GetProperty("Action")))
            .ToHashSet(StringComparer.Ordinal);
        return new BucketAccess(roleName, bucketArn, Allowed(bucketArn), Allowed($"{bucketArn}/*"));
    }

    /// <summary>Each S3 call in <paramref name="code"/> is allowed; one that names a version also needs the version action.</summary>
    private static void AssertAllowed(BucketAccess access, string caller, string code)
    {
        foreach (var call in S3Call().Matches(code).Select(call => call.Groups["operation"].Value).Where(c => c != "GetPreSignedURL"))
        {
            Assert.True(S3Actions.TryGetValue(call, out var needed), $"{caller} calls S3's {call}: add the IAM action it needs to {nameof(S3Actions)}");
            var (allowed, resource) = needed.OnObjects ? (access.OnObjects, $"{access.BucketArn}/*") : (access.OnBucket, access.BucketArn);
            Assert.True(allowed.Contains(needed.Action), $"{access.RoleName} does not allow {needed.Action} on {resource}, which {caller}'s {call} needs");
            if (call.StartsWith("DeleteObject", StringComparison.Ordinal) && code.Contains("VersionId =", StringComparison.Ordinal))
            {
                Assert.True(allowed.Contains("s3:DeleteObjectVersion"),
                    $"{access.RoleName} does not allow s3:DeleteObjectVersion on {resource}, which {caller} needs to delete a version");
            }
        }
    }

    private static string Placeholder(string value) => Repository.Placeholder().Match(value).Groups["name"].Value;

    private static List<string> Texts(TemplateValues values, JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? [.. values.Items(value).Select(values.Text)] : [values.Text(value)];

    [GeneratedRegex("""AddS3Bucket\("(?<variable>[A-Z_]+)"\)""")]
    private static partial Regex BucketVariable();

    [GeneratedRegex(@"s3\.(?<operation>[A-Za-z0-9]+)Async\(")]
    private static partial Regex S3Call();
}
