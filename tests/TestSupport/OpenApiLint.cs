using System.Diagnostics;
using System.Text.Json;

namespace TestSupport;

/// <summary>One thing Spectral found in a document: 0 is an error, 1 a warning, 2 information, 3 a hint.</summary>
public sealed record LintFinding(string Code, int Severity, string Path, string Message)
{
    public override string ToString() => $"{(Severity == 0 ? "error" : "warning")} {Code} at {Path}: {Message}";
}

/// <summary>
/// Lints an OpenAPI document with the repository's Spectral ruleset (tools/openapi-lint: spectral:oas and the OWASP API
/// Security ruleset), installed by <c>./dev test</c> with <c>npm ci</c>.
/// </summary>
public static class OpenApiLint
{
    private static readonly string LintFolder = Path.Combine(RepositoryRoot.Path, "tools", "openapi-lint");

    public static async Task<IReadOnlyList<LintFinding>> LintAsync(string service, string document)
    {
        var spectral = Path.Combine(LintFolder, "node_modules", ".bin", "spectral");
        if (!File.Exists(spectral))
        {
            throw new InvalidOperationException($"{spectral} is missing: ./dev test installs it (npm ci in tools/openapi-lint).");
        }

        // Inside the ruleset's folder: its overrides name documents by a path relative to it.
        var relativePath = Path.Combine("documents", $"{service}.json");
        Directory.CreateDirectory(Path.Combine(LintFolder, "documents"));
        await File.WriteAllTextAsync(Path.Combine(LintFolder, relativePath), document);

        var start = new ProcessStartInfo(spectral)
        {
            WorkingDirectory = LintFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "lint", "--ruleset", ".spectral.yaml", "--format", "json", "--quiet", relativePath },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        // Spectral exits with 1 when it finds an error; anything but a JSON list means it could not lint at all.
        var text = await output;
        if (!text.TrimStart().StartsWith('['))
        {
            throw new InvalidOperationException($"Spectral could not lint the {service} document (exit code {process.ExitCode}): {text} {await error}");
        }

        return [.. JsonDocument.Parse(text).RootElement.EnumerateArray().Select(result => new LintFinding(
            result.GetProperty("code").ToString(),
            result.GetProperty("severity").GetInt32(),
            string.Join('/', result.GetProperty("path").EnumerateArray().Select(segment => segment.ToString())),
            result.GetProperty("message").GetString() ?? ""))];
    }
}
