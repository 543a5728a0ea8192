using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Deploy.Tests;

/// <summary>
/// An AWS emulator on a port of its own (tests/Deploy.Tests/emulator.py: moto, with the resource types of the templates
/// under deploy/cloudformation/ that moto lacks; its ECS services report their desired tasks running, as a healthy
/// cluster would), in which deploy/deploy-infrastructure.sh created the platform stack mycomputer-production from
/// deploy/cloudformation/platform.yaml itself, as on a fresh account.
/// </summary>
public sealed class EmulatedPlatform : IAsyncLifetime
{
    public const string StackName = "mycomputer-production";

    private const int LogTail = 6000;

    private readonly Process _emulator;
    private readonly StringBuilder _log = new();

    public EmulatedPlatform()
    {
        var port = Repository.FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("python3",
            [Path.Combine(Repository.Root, "tests/Deploy.Tests/emulator.py"), "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MOTO_ECS_SERVICE_RUNNING"] = "2";
        _emulator = Process.Start(start)!;
        _emulator.OutputDataReceived += (_, line) => Record(line.Data);
        _emulator.ErrorDataReceived += (_, line) => Record(line.Data);
        _emulator.BeginOutputReadLine();
        _emulator.BeginErrorReadLine();
    }

    public string Endpoint { get; }

    /// <summary>The outputs of mycomputer-production, by name.</summary>
    public Dictionary<string, string> StackOutputs { get; private set; } = [];

    /// <summary>What the emulator has written so far: its requests, and moto's warnings and errors.</summary>
    public string EmulatorLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(_emulator.HasExited, $"the emulator stopped:\n{EmulatorLog}");
            try
            {
                (await http.GetAsync($"{Endpoint}/moto-api/")).EnsureSuccessStatusCode();
                break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        StackOutputs = await DeployInfrastructureAsync("production");
    }

    public Task DisposeAsync()
    {
        _emulator.Kill(entireProcessTree: true);
        _emulator.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs deploy/deploy-infrastructure.sh for <paramref name="environment"/>, as deploy/README.md has a first deploy
    /// run it (a certificate from the emulator's ACM, the admin's and the alarms' addresses, Stripe's test keys), each
    /// of <paramref name="settings"/> (its variables: <c>GITHUB_REPOSITORY</c>, ...) added or changed, and gives the
    /// stack's outputs by name.
    /// </summary>
    public async Task<Dictionary<string, string>> DeployInfrastructureAsync(string environment, params (string Name, string Value)[] settings)
    {
        var variables = Environment();
        var certificate = await AwsAsync("acm", "request-certificate", "--domain-name", "mycomputer.com");
        variables["CERTIFICATE_ARN"] = certificate.GetProperty("CertificateArn").GetString();
        variables["ADMIN_EMAIL"] = "admin@mycomputer.com";
        variables["ALARM_EMAIL"] = "oncall@mycomputer.com";
        variables["STRIPE_SECRET_KEY"] = "sk_test_emulated";
        variables["STRIPE_WEBHOOK_SECRET"] = "whsec_emulated";
        variables["STRIPE_PUBLISHABLE_KEY"] = "pk_test_emulated";
        foreach (var (name, value) in settings)
        {
            variables[name] = value;
        }

        var (exitCode, output) = await Repository.RunAsync(Path.Combine(Repository.Root, "deploy/deploy-infrastructure.sh"), [environment], variables);
        var log = EmulatorLog;
        Assert.True(exitCode == 0, $"{output}\nThe emulator's log ends:\n{log[Math.Max(0, log.Length - LogTail)..]}");
        var stack = (await AwsAsync("cloudformation", "describe-stacks", "--stack-name", $"mycomputer-{environment}")).GetProperty("Stacks")[0];
        return stack.GetProperty("Outputs").EnumerateArray()
            .ToDictionary(o => o.GetProperty("OutputKey").GetString()!, o => o.GetProperty("OutputValue").GetString()!);
    }

    /// <summary>
    /// The AWS CLI's answer, as JSON (<c>null</c> for a command that answers nothing). The endpoint is also given as
    /// <c>--endpoint-url</c>: version 1 of the CLI sends SQS to the queue.amazonaws.com endpoints despite AWS_ENDPOINT_URL.
    /// </summary>
    public async Task<JsonElement> AwsAsync(params string[] arguments)
    {
        var (exitCode, output) = await Repository.RunAsync("aws", [.. arguments, "--endpoint-url", Endpoint, "--output", "json"], Environment());
        Assert.True(exitCode == 0, $"aws {string.Join(' ', arguments)}: {output}");
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(output) ? "null" : output).RootElement.Clone();
    }

    /// <summary>The variables that point the AWS CLI, the SDKs and deploy/ at this emulator.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["AWS_ENDPOINT_URL"] = Endpoint,
        ["AWS_REGION"] = TemplateValues.Region,
        ["AWS_DEFAULT_REGION"] = TemplateValues.Region,
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
    };

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

}
