using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>What can be proven about the images without a Docker engine: each Dockerfile against the code.</summary>
public sealed partial class DockerfileTests
{
    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void The_port_is_the_one_the_service_defaults_to_and_the_image_sets_and_exposes(string service, string assembly)
    {
        var dockerfile = Repository.Read($"services/{service}/Dockerfile");
        var port = Repository.DefaultPort(service);

        Assert.Contains($"ENV PORT={port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void The_image_runs_chiseled_as_a_non_root_user_with_a_health_check_that_needs_no_shell(string service, string assembly)
    {
        var dockerfile = Repository.Read($"services/{service}/Dockerfile");
        var runtime = dockerfile[dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];

        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-noble-chiseled(-extra)? AS runtime", runtime);
        Assert.Contains("USER $APP_UID", runtime, StringComparison.Ordinal);
        Assert.Contains(
            $"HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD [\"dotnet\", \"{assembly}.dll\", \"healthcheck\"]",
            runtime, StringComparison.Ordinal);
        Assert.Contains("ARG TARGETARCH", dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task The_dockerfiles_publish_command_builds_the_service_and_its_health_check_runs(string service, string assembly)
    {
        var publish = PublishCommand().Match(Repository.Read($"services/{service}/Dockerfile"));
        Assert.True(publish.Success, "the Dockerfile should run dotnet publish");
        var output = Path.Combine(Path.GetTempPath(), $"publish-{service}-{Guid.NewGuid():N}");
        try
        {
            // As in the image, minus the target architecture, which the image's restore already chose.
            var (exitCode, log) = await Repository.RunAsync("dotnet",
                ["publish", publish.Groups["project"].Value, "-c", "Release", "-o", output, "-p:UseAppHost=false", "-nologo"]);
            Assert.True(exitCode == 0, log);
            Assert.True(File.Exists(Path.Combine(output, $"{assembly}.dll")), $"{assembly}.dll should be published");

            // Nothing listens on a free port, so the probe the HEALTHCHECK runs must say unhealthy.
            var (probeExit, probeLog) = await Repository.RunAsync("dotnet", [Path.Combine(output, $"{assembly}.dll"), "healthcheck"],
                new Dictionary<string, string?> { ["PORT"] = Repository.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) });
            Assert.True(probeExit == 1, $"healthcheck against nothing should exit 1: {probeLog}");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void The_image_is_precompiled_ready_to_run_with_the_compiler_restored_for_its_architecture(string service, string assembly)
    {
        _ = assembly;
        var dockerfile = Repository.Read($"services/{service}/Dockerfile");

        // The publish does not restore, so the restore must fetch the ReadyToRun compiler for the target architecture.
        Assert.Matches($@"RUN dotnet restore services/{service}/\S+\.csproj -a \$TARGETARCH -p:PublishReadyToRun=true\n", dockerfile);
        Assert.Matches(@"RUN dotnet publish \S+ -c Release -a \$TARGETARCH --no-restore .*-p:PublishReadyToRun=true\n", dockerfile);
    }

    [GeneratedRegex(@"RUN dotnet publish (?<project>\S+\.csproj) -c Release")]
    private static partial Regex PublishCommand();
}
