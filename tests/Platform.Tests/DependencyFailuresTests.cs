using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Aws;
using Platform.Errors;
using Platform.Redis;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;
using TestSupport;

namespace Platform.Tests;

/// <summary>Which exceptions mean "a dependency is unavailable", and which one: real failures wherever they can be caused.</summary>
public sealed class DependencyFailuresTests
{
    private static readonly DependencyFailures Failures = new([]);

    [Fact]
    public async Task A_refused_and_a_silent_database_are_postgres()
    {
        await using var blackHole = PausableProxy.BlackHole();

        Assert.Equal("postgres", Failures.Classify(await CaughtAsync(() => OpenAsync($"Host=127.0.0.1;Port={ClosedPort()};Username=x;Password=x"))));
        Assert.Equal("postgres", Failures.Classify(await CaughtAsync(() =>
            OpenAsync($"Host=127.0.0.1;Port={blackHole.Port};Username=x;Password=x;Timeout=1"))));
    }

    [Fact]
    public async Task An_exhausted_pool_and_a_terminated_session_are_postgres()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(RealDatabase()) { MaxPoolSize = 1, Timeout = 3, ApplicationName = $"pool-{Guid.NewGuid():N}" }
            .ConnectionString;
        await using var held = new NpgsqlConnection(connectionString);
        await held.OpenAsync();
        var exhausted = await CaughtAsync(() => OpenAsync(connectionString));

        await using var admin = new NpgsqlConnection(RealDatabase());
        await admin.OpenAsync();
        await using (var terminate = new NpgsqlCommand($"SELECT pg_terminate_backend({held.ProcessID})", admin))
        {
            await terminate.ExecuteScalarAsync();
        }

        var terminated = await CaughtAsync(async () =>
        {
            await using var query = new NpgsqlCommand("SELECT 1", held);
            await query.ExecuteScalarAsync();
        });

        Assert.Contains("connection pool has been exhausted", exhausted.Message, StringComparison.Ordinal);
        Assert.Equal("postgres", Failures.Classify(exhausted));
        Assert.Equal("postgres", Failures.Classify(terminated));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown, "postgres")]
    [InlineData(PostgresErrorCodes.CrashShutdown, "postgres")]
    [InlineData(PostgresErrorCodes.CannotConnectNow, "postgres")]
    [InlineData(PostgresErrorCodes.TooManyConnections, "postgres")]
    [InlineData(PostgresErrorCodes.ConnectionFailure, "postgres")]
    [InlineData(PostgresErrorCodes.UniqueViolation, null)]
    [InlineData(PostgresErrorCodes.UndefinedTable, null)]
    [InlineData(PostgresErrorCodes.SerializationFailure, null)]
    public void A_server_error_is_postgres_being_unavailable_only_for_shutdown_connection_and_resource_codes(string sqlState, string? expected) =>
        Assert.Equal(expected, Failures.Classify(new PostgresException("server says no", "FATAL", "FATAL", sqlState)));

    [Fact]
    public async Task Ef_cores_exhausted_retries_and_a_wrapped_transient_failure_are_postgres_and_a_constraint_is_not()
    {
        var refused = await CaughtAsync(() => OpenAsync($"Host=127.0.0.1;Port={ClosedPort()};Username=x;Password=x"));

        Assert.Equal("postgres", Failures.Classify(new RetryLimitExceededException("The maximum number of retries (3) was exceeded", refused)));
        Assert.Equal("postgres",
            Failures.Classify(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused)));
        Assert.Null(Failures.Classify(
            new DbUpdateException("duplicate", new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation))));
    }

    [Fact]
    public async Task Redis_refused_timed_out_or_a_call_it_cancelled_is_redis()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{ClosedPort()}");
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 500;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var refused = await CaughtAsync(() => redis.GetDatabase().PingAsync());
        var cancelled = new TaskCompletionSource<RedisValue>(RedisKeyspace.TaskState);
        cancelled.SetCanceled(); // what StackExchange.Redis does to a call it gives up on before writing it
        var cancellation = await CaughtAsync(() => cancelled.Task);

        Assert.IsType<RedisConnectionException>(refused);
        Assert.Equal("redis", Failures.Classify(refused));
        Assert.Equal("redis", Failures.Classify(new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent)));
        Assert.IsType<TaskCanceledException>(cancellation);
        Assert.Equal("redis", Failures.Classify(cancellation));
    }

    [Fact]
    public async Task An_InvalidOperationException_out_of_StackExchange_Redis_is_redis_and_one_of_our_own_is_not()
    {
        // A write to a connection StackExchange.Redis is tearing down throws InvalidOperationException from inside it;
        // here a parameter it reads throws one from inside it too.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            new ConfigurationOptions { EndPoints = { $"127.0.0.1:{ClosedPort()}" }, AbortOnConnectFail = false });
        var fromRedis = Assert.Throws<InvalidOperationException>(
            () => LuaScript.Prepare("return @Value").Evaluate(redis.GetDatabase(), new ParameterThatThrows()));
        var ours = Assert.Throws<InvalidOperationException>(() => new ParameterThatThrows().Value);

        Assert.Equal("redis", Failures.Classify(fromRedis));
        Assert.Null(Failures.Classify(ours));
    }

    private sealed class ParameterThatThrows
    {
        private readonly string _failure = "Writing is not allowed after writer was completed.";

        public string Value => throw new InvalidOperationException(_failure);
    }

    [Fact]
    public async Task An_http_call_refused_timed_out_or_failing_upstream_is_its_client()
    {
        await using var blackHole = PausableProxy.BlackHole();
        using var plain = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        await using var services = new ServiceCollection().AddPlatformProblemDetails().AddLogging().AddHttpClient("inventory").Services.BuildServiceProvider();
        var inventory = services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        inventory.Timeout = TimeSpan.FromMilliseconds(300);

        var refused = await CaughtAsync(() => plain.GetAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/")));
        var timedOut = await CaughtAsync(() => plain.GetAsync(new Uri($"http://127.0.0.1:{blackHole.Port}/")));
        var namedRefused = await CaughtAsync(() => inventory.GetAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/")));
        var namedTimedOut = await CaughtAsync(() => inventory.GetAsync(new Uri($"http://127.0.0.1:{blackHole.Port}/")));

        Assert.Equal("http", Failures.Classify(refused));
        Assert.IsType<TaskCanceledException>(timedOut);
        Assert.Equal("http", Failures.Classify(timedOut));
        Assert.Equal("inventory", Failures.Classify(namedRefused));
        Assert.Equal("inventory", Failures.Classify(namedTimedOut));
        Assert.Equal("http", Failures.Classify(new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway)));
        Assert.Null(Failures.Classify(new HttpRequestException("not found", null, HttpStatusCode.NotFound)));
    }

    [Fact]
    public async Task Pollys_open_circuit_and_timeout_are_dependency_failures_named_after_the_client_they_guard()
    {
        var control = new CircuitBreakerManualControl();
        var circuit = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions { ManualControl = control }).Build();
        await control.IsolateAsync();
        var timeout = new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromMilliseconds(50)).Build();
        var httpControl = new CircuitBreakerManualControl();
        await using var services = new ServiceCollection().AddPlatformProblemDetails().AddLogging()
            .AddHttpClient("inventory").AddResilienceHandler("circuit", pipeline => pipeline.AddCircuitBreaker(
                new Microsoft.Extensions.Http.Resilience.HttpCircuitBreakerStrategyOptions { ManualControl = httpControl })).Services.BuildServiceProvider();
        await httpControl.IsolateAsync();
        var inventory = services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");

        var broken = await CaughtAsync(() => circuit.ExecuteAsync(_ => ValueTask.CompletedTask).AsTask());
        var rejected = await CaughtAsync(() => timeout.ExecuteAsync(async ct => await Task.Delay(5000, ct)).AsTask());
        var brokenForInventory = await CaughtAsync(() => inventory.GetAsync(new Uri("http://127.0.0.1:1/")));

        Assert.IsAssignableFrom<BrokenCircuitException>(broken);
        Assert.Equal("http", Failures.Classify(broken));
        Assert.Equal("http", Failures.Classify(rejected));
        Assert.IsAssignableFrom<BrokenCircuitException>(brokenForInventory);
        Assert.Equal("inventory", Failures.Classify(brokenForInventory));
    }

    [Fact]
    public async Task Aws_unreachable_failing_or_throttling_is_the_aws_service_and_a_missing_object_is_not()
    {
        AwsFailureNames.Register(); // as the platform does before it creates its clients
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config
        {
            ServiceURL = $"http://127.0.0.1:{ClosedPort()}",
            ForcePathStyle = true,
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(1),
        });
        var unreachable = await CaughtAsync(() => s3.GetBucketLocationAsync("bucket"));

        Assert.Equal("s3", Failures.Classify(unreachable));
        Assert.Equal("s3", Failures.Classify(
            new AmazonS3Exception("Please reduce your request rate.", ErrorType.Receiver, "SlowDown", "request", HttpStatusCode.ServiceUnavailable)));
        Assert.Equal("sqs", Failures.Classify(
            new AmazonSQSException("Rate exceeded", ErrorType.Sender, "ThrottlingException", "request", HttpStatusCode.BadRequest)));
        Assert.Equal("sqs", Failures.Classify(
            new AmazonSQSException("Internal error", ErrorType.Receiver, "InternalError", "request", HttpStatusCode.InternalServerError)));
        Assert.Null(Failures.Classify(
            new AmazonS3Exception("The specified key does not exist.", ErrorType.Sender, "NoSuchKey", "request", HttpStatusCode.NotFound)));
    }

    [Fact]
    public async Task A_services_own_dependency_is_named_by_its_exception_or_its_registered_rule()
    {
        await using var services = new ServiceCollection().AddPlatformProblemDetails()
            .AddDependencyFailure("stripe", exception => exception is IOException { Message: "stripe is away" }).BuildServiceProvider();
        var failures = services.GetRequiredService<DependencyFailures>();

        Assert.Equal("stripe", failures.Classify(new DependencyUnavailableException("stripe", "Stripe did not answer")));
        Assert.Equal("stripe", failures.Classify(new InvalidOperationException("wrapped", new IOException("stripe is away"))));
        Assert.Null(failures.Classify(new IOException("a disk")));
    }

    [Fact]
    public void Our_own_bugs_and_a_bare_cancellation_are_not_dependency_failures()
    {
        Assert.Null(Failures.Classify(new ArgumentException("bad argument")));
        Assert.Null(Failures.Classify(new InvalidOperationException("bad state", new FormatException("not a number"))));
        Assert.Null(Failures.Classify(new OperationCanceledException()));
        Assert.Null(Failures.Classify(new TimeoutException("our own wait")));
    }

    internal static async Task<Exception> CaughtAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception exception)
        {
            return exception;
        }

        throw new Xunit.Sdk.XunitException("expected a failure");
    }

    private static async Task OpenAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }

    internal static string RealDatabase() => new NpgsqlConnectionStringBuilder
    {
        Host = TestEnvironment.Require("DB_HOST"),
        Port = int.Parse(TestEnvironment.Require("DB_PORT"), System.Globalization.CultureInfo.InvariantCulture),
        Username = TestEnvironment.Require("DB_USER"),
        Password = TestEnvironment.Require("DB_PASSWORD"),
        Database = "postgres",
    }.ConnectionString;

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
