namespace TestSupport;

/// <summary>
/// The dependencies the tests run against, as <c>./dev test</c> exported them or, when a test runs outside it
/// (<c>dotnet test</c>, an IDE), as <c>./dev deps</c> wrote them to <c>.local/test/environment</c>.
/// </summary>
public static class TestEnvironment
{
    private static readonly Lazy<bool> FileLoaded = new(LoadFile);

    public static string Require(string variable)
    {
        Load();
        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: run the tests with ./dev test, or start their dependencies with ./dev deps first.");
    }

    public static string AwsEndpoint => Require("AWS_ENDPOINT_URL");

    /// <summary>Sets what <c>./dev deps</c> wrote into this process's environment, where nothing set it already.</summary>
    public static void Load() => _ = FileLoaded.Value;

    private static bool LoadFile()
    {
        var file = Path.Combine(RepositoryRoot.Path, ".local", "test", "environment");
        if (!File.Exists(file))
        {
            return false;
        }

        foreach (var line in File.ReadLines(file))
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0 && Environment.GetEnvironmentVariable(line[..separator]) is null)
            {
                Environment.SetEnvironmentVariable(line[..separator], line[(separator + 1)..]);
            }
        }

        return true;
    }
}
