namespace TestSupport;

/// <summary>The dependencies <c>./dev test</c> started, as it exported them.</summary>
public static class TestEnvironment
{
    public static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: run the tests with ./dev test, which starts PostgreSQL, Redis and the AWS emulator.");

    public static string AwsEndpoint => Require("AWS_ENDPOINT_URL");
}
