using System.Runtime.Versioning;

namespace Deploy.Tests;

/// <summary>
/// deploy/deploy-infrastructure.sh against a stand-in for the AWS CLI, which records each call and answers as a stack
/// in a given state would; the template itself is not deployed.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class InfrastructureScriptTests : IDisposable
{
    /// <summary>
    /// The stand-in: describe-stacks answers from the state file (no stack when it is empty), deploy leaves a
    /// created stack, waiting for a deletion leaves none, and everything else succeeds.
    /// </summary>
    private const string FakeAws = """
        #!/usr/bin/env bash
        printf '%q ' "$@" >>"$FAKE_AWS_CALLS"; echo >>"$FAKE_AWS_CALLS"
        status=$(cat "$FAKE_AWS_STATE")
        case "$1 $2" in
          "cloudformation describe-stacks")
            if [ -z "$status" ]; then
              echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id $4 does not exist" >&2
              exit 254
            fi
            [[ "$*" != *StackStatus* ]] || echo "$status" ;;
          "cloudformation deploy") echo CREATE_COMPLETE >"$FAKE_AWS_STATE" ;;
          "cloudformation wait") : >"$FAKE_AWS_STATE" ;;
        esac
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("deploy-infrastructure-").FullName;

    /// <summary>What the first create of a stack needs, as deploy/README.md gives it.</summary>
    private static readonly Dictionary<string, string?> FirstRun = new()
    {
        ["CERTIFICATE_ARN"] = "arn:aws:acm:eu-west-1:123456789012:certificate/example",
        ["ADMIN_EMAIL"] = "admin@mycomputer.com",
        ["ALARM_EMAIL"] = "oncall@mycomputer.com",
        ["STRIPE_SECRET_KEY"] = "sk_test_example",
        ["STRIPE_WEBHOOK_SECRET"] = "whsec_example",
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_stack_whose_first_create_rolled_back_is_deleted_and_created_again()
    {
        var (exitCode, output, calls) = await RunAsync("ROLLBACK_COMPLETE", FirstRun);

        Assert.True(exitCode == 0, output);
        Assert.Contains("ROLLBACK_COMPLETE", output, StringComparison.Ordinal);
        Assert.Contains("deploy/README.md", output, StringComparison.Ordinal);
        var delete = calls.FindIndex(c => c.StartsWith("cloudformation delete-stack --stack-name mycomputer-production", StringComparison.Ordinal));
        var wait = calls.FindIndex(c => c.StartsWith("cloudformation wait stack-delete-complete --stack-name mycomputer-production", StringComparison.Ordinal));
        var deploy = calls.FindIndex(c => c.StartsWith("cloudformation deploy ", StringComparison.Ordinal));
        Assert.True(delete >= 0 && wait > delete && deploy > wait, string.Join('\n', calls));
        // It is a first create again: a new token signing key goes with it.
        Assert.Contains("JwtSigningKeyPem=", calls[deploy], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stack_whose_first_create_rolled_back_is_not_deleted_before_every_first_run_setting_is_given()
    {
        var (exitCode, output, calls) = await RunAsync("ROLLBACK_COMPLETE", new Dictionary<string, string?>());

        Assert.Equal(1, exitCode);
        Assert.Contains("needs: CERTIFICATE_ARN ADMIN_EMAIL ALARM_EMAIL STRIPE_SECRET_KEY STRIPE_WEBHOOK_SECRET", output, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("cloudformation delete-stack", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ROLLBACK_FAILED")]
    [InlineData("DELETE_FAILED")]
    [InlineData("UPDATE_IN_PROGRESS")]
    public async Task A_stack_that_can_be_neither_updated_nor_safely_deleted_is_left_alone_with_an_explanation(string status)
    {
        var (exitCode, output, calls) = await RunAsync(status, FirstRun);

        Assert.Equal(1, exitCode);
        Assert.Contains(status, output, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("cloudformation delete-stack", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.StartsWith("cloudformation deploy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_existing_stack_is_updated_in_place_with_its_previous_settings()
    {
        var (exitCode, output, calls) = await RunAsync("UPDATE_COMPLETE", new Dictionary<string, string?>());

        Assert.True(exitCode == 0, output);
        var deploy = Assert.Single(calls, c => c.StartsWith("cloudformation deploy ", StringComparison.Ordinal));
        Assert.DoesNotContain("JwtSigningKeyPem", deploy, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("cloudformation delete-stack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_environment_passes_the_accounts_github_provider_and_shares_the_image_repositories()
    {
        var environment = new Dictionary<string, string?>(FirstRun)
        {
            ["GITHUB_REPOSITORY"] = "mycomputer/platform",
            ["GITHUB_OIDC_PROVIDER_ARN"] = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            ["IMAGE_REPOSITORIES"] = "shared",
        };

        var (exitCode, output, calls) = await RunAsync("", environment, "staging");

        Assert.True(exitCode == 0, output);
        var deploy = Assert.Single(calls, c => c.StartsWith("cloudformation deploy --stack-name mycomputer-staging ", StringComparison.Ordinal));
        Assert.Contains("GitHubOidcProviderArn=arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", deploy, StringComparison.Ordinal);
        Assert.Contains("ImageRepositories=shared", deploy, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, List<string> Calls)> RunAsync(
        string stackStatus, Dictionary<string, string?> settings, string environment = "production")
    {
        var aws = Path.Combine(_directory, "aws");
        await File.WriteAllTextAsync(aws, FakeAws + "\n");
        File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var calls = Path.Combine(_directory, "calls");
        var state = Path.Combine(_directory, "state");
        await File.WriteAllTextAsync(calls, "");
        await File.WriteAllTextAsync(state, stackStatus);

        var variables = new Dictionary<string, string?>(settings)
        {
            ["PATH"] = $"{_directory}:{Environment.GetEnvironmentVariable("PATH")}",
            ["FAKE_AWS_CALLS"] = calls,
            ["FAKE_AWS_STATE"] = state,
        };
        foreach (var name in FirstRun.Keys.Concat(["GITHUB_REPOSITORY", "GITHUB_OIDC_PROVIDER_ARN", "IMAGE_REPOSITORIES", "BUCKET_PREFIX"]))
        {
            variables.TryAdd(name, null);
        }

        var (exitCode, output) = await Repository.RunAsync(Path.Combine(Repository.Root, "deploy/deploy-infrastructure.sh"), [environment], variables);
        return (exitCode, output, [.. (await File.ReadAllLinesAsync(calls)).Where(line => line.Length > 0)]);
    }
}
