using System.Diagnostics;

namespace Platform.Tests;

/// <summary>Start-up with bad configuration, as an operator sees it: a real service process and its exit code.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task A_missing_required_variable_stops_start_up_with_a_message_naming_it()
    {
        var (exitCode, output) = await RunInventoryAsync(environment => environment.Remove("DB_HOST"));

        Assert.Equal(1, exitCode);
        Assert.Contains("DB_HOST is required", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_missing_or_invalid_variable_is_named_in_one_message()
    {
        var (exitCode, output) = await RunInventoryAsync(environment =>
        {
            environment.Remove("DB_USER");
            environment.Remove("ASSETS_BUCKET");
            environment["REDIS_URL"] = "http://cache:6379";
            environment["RATE_LIMIT_REQUESTS"] = "0";
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("DB_USER is required", output, StringComparison.Ordinal);
        Assert.Contains("ASSETS_BUCKET is required", output, StringComparison.Ordinal);
        Assert.Contains("REDIS_URL must start with redis:// or rediss://", output, StringComparison.Ordinal);
        Assert.Contains("RATE_LIMIT_REQUESTS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_certificate_check_without_the_certificates_and_a_network_that_is_not_a_range_stop_start_up()
    {
        var (exitCode, output) = await RunInventoryAsync(environment =>
        {
            environment["DB_SSL_MODE"] = "VerifyFull";
            environment.Remove("DB_ROOT_CERTIFICATE");
            environment["TRUSTED_PROXY_NETWORKS"] = "10.0.0.0/16, the load balancer";
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("DB_ROOT_CERTIFICATE is required with DB_SSL_MODE=VerifyFull", output, StringComparison.Ordinal);
        Assert.Contains("TRUSTED_PROXY_NETWORKS must be one or more CIDR ranges", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_certificate_file_that_is_not_there_stops_start_up()
    {
        var (exitCode, output) = await RunInventoryAsync(environment =>
        {
            environment["DB_SSL_MODE"] = "VerifyFull";
            environment["DB_ROOT_CERTIFICATE"] = "/nowhere/rds-global-bundle.pem";
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("DB_ROOT_CERTIFICATE names /nowhere/rds-global-bundle.pem, which does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_named()
    {
        var (exitCode, output) = await RunInventoryAsync(environment => environment["DB_POOL_SIZE"] = "lots");

        Assert.Equal(1, exitCode);
        Assert.Contains("DB_POOL_SIZE", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task API8_a_plain_http_JWKS_URL_outside_Development_and_Test_stops_start_up_naming_JWT_JWKS_URL()
    {
        var (exitCode, output) = await RunInventoryAsync(environment =>
        {
            environment["JWT_JWKS_URL"] = "http://customers.example/api/customers/.well-known/jwks.json";
            environment.Remove("JWT_JWKS_ALLOW_HTTP");
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("JWT_JWKS_URL must be an https:// URL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_http_JWKS_URL_is_accepted_where_JWT_JWKS_ALLOW_HTTP_says_the_network_is_private()
    {
        var (exitCode, output) = await RunInventoryAsync(environment =>
        {
            environment["JWT_JWKS_URL"] = "http://customers:3002/api/customers/.well-known/jwks.json";
            environment["JWT_JWKS_ALLOW_HTTP"] = "true";
            environment.Remove("DB_HOST"); // so that start-up stops at validation either way
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("DB_HOST is required", output, StringComparison.Ordinal);
        Assert.DoesNotContain("JWT_JWKS_URL", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunInventoryAsync(Action<IDictionary<string, string?>> configure)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Inventory.dll"));
        start.Environment["DB_NAME"] = "inventory";
        start.Environment["PORT"] = "39001";
        start.Environment["DB_MIGRATE_ON_STARTUP"] = "false";
        // As deployed: not Development, not Test.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        configure(start.Environment);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await error + await output);
    }
}
