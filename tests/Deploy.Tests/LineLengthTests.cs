namespace Deploy.Tests;

/// <summary>
/// Every line of C# fits in <see cref="Limit"/> characters, wrapped as the code around it wraps its long lines. The
/// scaffolded migrations are left as <c>dotnet ef</c> writes them (generated code, as .editorconfig says).
/// </summary>
public sealed class LineLengthTests
{
    private const int Limit = 160;

    [Fact]
    public void No_line_of_CSharp_outside_the_scaffolded_migrations_is_longer_than_the_limit()
    {
        var tooLong = Directory.EnumerateFiles(Repository.Root, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Repository.Root, path))
            .Where(IsChecked)
            .SelectMany(path => File.ReadLines(Path.Combine(Repository.Root, path)).Select((line, index) => (path, Number: index + 1, line.Length)))
            .Where(line => line.Length > Limit)
            .Select(line => $"{line.path}:{line.Number} ({line.Length} characters)")
            .ToList();

        Assert.True(tooLong.Count == 0, $"lines longer than {Limit} characters:\n{string.Join('\n', tooLong)}");
    }

    // Not what the build or a tool writes (bin, obj, node_modules, .local and other hidden folders), nor a migration.
    private static bool IsChecked(string relativePath)
    {
        var folders = relativePath.Split(Path.DirectorySeparatorChar)[..^1];
        return !folders.Any(folder => folder is "bin" or "obj" or "node_modules" || folder.StartsWith('.')) && folders is not [.., "Data", "Migrations"];
    }
}
