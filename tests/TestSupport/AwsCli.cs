using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// The AWS CLI against the emulator, for what the services have no SDK for (Secrets Manager: they read secrets
/// through Parameter Store), as an operator would change a secret.
/// </summary>
public static class AwsCli
{
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--endpoint-url", TestEnvironment.AwsEndpoint, "--output", "text" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"aws {string.Join(' ', arguments)} failed: {await error}");
    }
}
