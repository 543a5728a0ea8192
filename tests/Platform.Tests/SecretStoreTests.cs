using Amazon;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Errors;
using Platform.Secrets;
using TestSupport;

namespace Platform.Tests;

public sealed class SecretStoreTests
{
    [Fact]
    public async Task A_secret_given_by_arn_is_read_from_secrets_manager_and_a_rotation_is_picked_up_after_the_refresh()
    {
        var name = $"tests/rotating-{Guid.NewGuid():N}";
        var arn = await AwsCli.RunAsync("secretsmanager", "create-secret", "--name", name, "--secret-string", "first-value", "--query", "ARN");
        var clock = new ManualClock();
        var secrets = Store(new() { ["API_KEY_ARN"] = arn }, refreshSeconds: 60, clock);

        Assert.Equal("first-value", await secrets.GetAsync("API_KEY", CancellationToken.None));

        await AwsCli.RunAsync("secretsmanager", "put-secret-value", "--secret-id", arn, "--secret-string", "rotated-value");
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("first-value", await secrets.GetAsync("API_KEY", CancellationToken.None)); // cached until the refresh
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("rotated-value", await secrets.GetAsync("API_KEY", CancellationToken.None));
    }

    [Fact]
    public async Task A_value_given_directly_wins_and_needs_no_aws_call()
    {
        var secrets = Store(
            new() { ["API_KEY"] = "direct", ["API_KEY_ARN"] = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:does-not-exist" },
            refreshSeconds: 60, TimeProvider.System);

        Assert.Equal("direct", await secrets.GetAsync("API_KEY", CancellationToken.None));
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:mycomputer/jwt-key-AbC123", new[] { "mycomputer/jwt-key-AbC123", "mycomputer/jwt-key" })]
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:jwt-key", new[] { "jwt-key" })]
    [InlineData("mycomputer/stripe", new[] { "mycomputer/stripe" })]
    public void A_secret_arn_is_referenced_in_parameter_store_by_its_name(string arn, string[] names) =>
        Assert.Equal(names, SecretStore.SecretNames(arn));

    private static SecretStore Store(Dictionary<string, string?> settings, int refreshSeconds, TimeProvider time) => new(
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
        new AmazonSimpleSystemsManagementClient(new AmazonSimpleSystemsManagementConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(TestEnvironment.Require("AWS_REGION")),
        }),
        Options.Create(new SecretsOptions { RefreshSeconds = refreshSeconds }),
        time,
        new DependencyFailures([]),
        NullLogger<SecretStore>.Instance);
}
