namespace Deploy.Tests;

/// <summary>
/// The migrations a deploy applies describe each service's model exactly, checked with the tool that scaffolds them
/// (<c>dotnet ef</c>, restored from the repository's tool manifest, as <c>./dev migration</c> runs it).
/// </summary>
public sealed class MigrationsTests
{
    [Theory]
    [MemberData(nameof(Repository.ServicesWithDatabase), MemberType = typeof(Repository))]
    public async Task The_migrations_describe_the_services_model_with_no_change_left_unscaffolded(string service, string assembly)
    {
        var (exitCode, output) = await Repository.RunAsync("dotnet",
        [
            "ef", "migrations", "has-pending-model-changes", "--no-build",
            "--project", $"services/{service}", "--context", $"{assembly}Db",
        ]);

        Assert.True(exitCode == 0, $"the model of {service} has changes no migration holds (./dev migration {service} <Name>):\n{output}");
        Assert.Contains("No changes have been made to the model since the last migration.", output, StringComparison.Ordinal);
    }
}
