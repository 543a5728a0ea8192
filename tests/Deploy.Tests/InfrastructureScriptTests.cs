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
    /// created stack, waiting for a deletion leaves none, the caller is an account's user, and everything else succeeds. FAKE_AWS_FAILS names a call
    /// ("cloudformation wait") that fails instead; FAKE_AWS_WARNING is written to stderr by every call, as the CLI
    /// does with its deprecation and configuration warnings.
    /// </summary>
    private const string FakeAws = """
        #!/usr/bin/env bash
        printf '%q ' "$@" >>"$FAKE_AWS_CALLS"; echo >>"$FAKE_AWS_CALLS"
        [ -z "${FAKE_AWS_WARNING:-}" ] || echo "$FAKE_AWS_WARNING" >&2
        if [ "$1 $2" = "${FAKE_AWS_FAILS:-}" ]; then
          echo "Waiter StackDeleteComplete failed: Waiter encountered a terminal failure state: DELETE_FAILED" >&2
          exit 255
        fi
        status=$(cat "$FAKE_AWS_STATE")
        case "$1 $2" in
          "cloudformation list-stack-resources") printf 'Database\tmycomputer-production\tDeletion protection is enabled\n' ;;
          "cloudformation describe-stacks")
            if [ -z "$status" ]; then
              echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id $4 does not exist" >&2
              exit 254
            fi
            [[ "$*" != *StackStatus* ]] || echo "$status" ;;
          "cloudformation deploy") echo CREATE_COMPLETE >"$FAKE_AWS_STATE" ;;
          "sts get-caller-identity") printf '123456789012\tarn:aws:iam::123456789012:user/deployer\n' ;;
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
        ["STRIPE_PUBLISHABLE_KEY"] = "pk_test_example",
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
    public async Task A_warning_from_the_cli_is_not_taken_for_the_stacks_status()
    {
        var settings = new Dictionary<string, string?>(FirstRun) { ["FAKE_AWS_WARNING"] = "WARNING: a newer version of the AWS CLI is available" };

        var (exitCode, output, calls) = await RunAsync("ROLLBACK_COMPLETE", settings);

        Assert.True(exitCode == 0, output);
        Assert.Contains(calls, c => c.StartsWith("cloudformation delete-stack --stack-name mycomputer-production", StringComparison.Ordinal));
        Assert.Contains("JwtSigningKeyPem=",
            Assert.Single(calls, c => c.StartsWith("cloudformation deploy ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rolled_back_stack_that_cannot_be_deleted_stops_the_script_with_the_way_out()
    {
        var settings = new Dictionary<string, string?>(FirstRun) { ["FAKE_AWS_FAILS"] = "cloudformation wait" };

        var (exitCode, output, calls) = await RunAsync("ROLLBACK_COMPLETE", settings);

        Assert.Equal(1, exitCode);
        Assert.Contains("could not delete mycomputer-production", output, StringComparison.Ordinal);
        Assert.Contains("deploy/README.md, 'When the first create fails'", output, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("cloudformation deploy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stack_whose_update_rollback_failed_is_left_alone_with_the_command_that_continues_it()
    {
        var (exitCode, output, calls) = await RunAsync("UPDATE_ROLLBACK_FAILED", new Dictionary<string, string?>());

        Assert.Equal(1, exitCode);
        Assert.Contains("aws cloudformation continue-update-rollback --stack-name mycomputer-production", output, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("cloudformation delete-stack", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.StartsWith("cloudformation deploy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ROLLBACK_FAILED")]
    [InlineData("DELETE_FAILED")]
    public async Task A_stack_that_could_not_be_deleted_lists_every_resource_that_failed(string status)
    {
        var (exitCode, output, calls) = await RunAsync(status, FirstRun);

        Assert.Equal(1, exitCode);
        // list-stack-resources pages through every resource; describe-stack-resources stops at 100.
        Assert.Contains(calls, c => c.StartsWith("cloudformation list-stack-resources --stack-name mycomputer-production", StringComparison.Ordinal));
        Assert.Contains("Deletion protection is enabled", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stack_whose_first_create_rolled_back_is_not_deleted_before_every_first_run_setting_is_given()
    {
        var (exitCode, output, calls) = await RunAsync("ROLLBACK_COMPLETE", new Dictionary<string, string?>());

        Assert.Equal(1, exitCode);
        Assert.Contains("needs: CERTIFICATE_ARN ADMIN_EMAIL ALARM_EMAIL STRIPE_SECRET_KEY STRIPE_WEBHOOK_SECRET STRIPE_PUBLISHABLE_KEY",
            output, StringComparison.Ordinal);
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
            ["AWS_REGION"] = "eu-west-1",
        };
        foreach (var name in FirstRun.Keys.Concat(
            ["GITHUB_REPOSITORY", "GITHUB_OIDC_PROVIDER_ARN", "IMAGE_REPOSITORIES", "BUCKET_PREFIX", "FAKE_AWS_FAILS", "FAKE_AWS_WARNING"]))
        {
            variables.TryAdd(name, null);
        }

        var (exitCode, output) = await Repository.RunAsync(Path.Combine(Repository.Root, "deploy/deploy-infrastructure.sh"), [environment], variables);
        return (exitCode, output, [.. (await File.ReadAllLinesAsync(calls)).Where(line => line.Length > 0)]);
    }
}
