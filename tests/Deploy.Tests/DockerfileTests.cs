using System.Text.RegularExpressions;
using Platform.Hosting;

namespace Deploy.Tests;

/// <summary>
/// What can be proven about the images without a Docker engine: the one Dockerfile (services/Dockerfile, the service
/// chosen by its SERVICE argument) against each service.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = Repository.Read("services/Dockerfile");

    private static string Runtime => Dockerfile[Dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];

    [Fact]
    public void The_port_comes_from_the_topology_the_platform_is_built_with_and_one_entry_point_serves_every_service()
    {
        Assert.Contains("ARG SERVICE\n", Dockerfile, StringComparison.Ordinal);
        // The platform embeds deploy/topology.json: without it no service knows its port.
        Assert.Contains("COPY deploy/topology.json deploy/\n", Dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("ENV PORT", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/app/service\"]", Runtime, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_runs_chiseled_as_a_non_root_user_with_a_health_check_that_needs_no_shell()
    {
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-noble-chiseled(-extra)? AS runtime", Runtime);
        Assert.Contains("USER $APP_UID", Runtime, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD [\"/app/service\", \"healthcheck\"]",
            Runtime, StringComparison.Ordinal);
        Assert.Contains("ARG TARGETARCH", Dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task The_dockerfiles_publish_command_builds_the_service_and_its_entry_point_runs_the_health_check(string service, string assembly)
    {
        var publish = PublishCommand().Match(Dockerfile);
        Assert.True(publish.Success, "the Dockerfile should run dotnet publish, then name the executable service");
        var project = publish.Groups["project"].Value.Replace("${SERVICE}", service, StringComparison.Ordinal);
        var output = Path.Combine(Path.GetTempPath(), $"publish-{service}-{Guid.NewGuid():N}");
        try
        {
            // As in the image, minus the target architecture and ReadyToRun: the executable is this machine's.
            var (exitCode, log) = await Repository.RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo"]);
            Assert.True(exitCode == 0, log);
            Assert.True(File.Exists(Path.Combine(output, $"{assembly}.dll")), $"{assembly}.dll should be published");
            var (renamed, renameLog) = await Repository.RunAsync("bash", ["-c", publish.Groups["rename"].Value
                .Replace("/app", output, StringComparison.Ordinal).Replace("${SERVICE}", service, StringComparison.Ordinal)]);
            Assert.True(renamed == 0, renameLog);

            // Nothing listens on a free port, so the probe the HEALTHCHECK runs must say unhealthy.
            var (probeExit, probeLog) = await Repository.RunAsync(Path.Combine(output, "service"), ["healthcheck"],
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

    [Fact]
    public void The_image_is_precompiled_ready_to_run_with_the_compiler_restored_for_its_architecture()
    {
        // The publish does not restore, so the restore must fetch the ReadyToRun compiler for the target architecture.
        Assert.Contains("RUN dotnet restore services/${SERVICE} -a $TARGETARCH -p:PublishReadyToRun=true\n", Dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"RUN dotnet publish \S+ -c Release -a \$TARGETARCH --no-restore .*-p:PublishReadyToRun=true", Dockerfile);
    }

    [GeneratedRegex(@"RUN dotnet publish (?<project>\S+) -c Release[^\n]*\\\n +&& (?<rename>mv [^\n]+)\n")]
    private static partial Regex PublishCommand();
}
