using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Errors;
using Platform.Redis;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace Platform.Tests;

/// <summary>What a client gets and what the log says when a dependency fails, and when our own code does.</summary>
public sealed class DependencyFailureResponseTests : IAsyncLifetime
{
    private static readonly Dictionary<string, Func<Exception>> Failures = new()
    {
        ["npgsql"] = () => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111)),
        ["postgres-shutdown"] = () =>
            new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown),
        ["ef-retries"] = () =>
            new RetryLimitExceededException("The maximum number of retries (3) was exceeded", new NpgsqlException("timeout", new TimeoutException())),
        ["redis"] = () => new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available"),
        ["redis-timeout"] = () => new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent),
        ["redis-cancelled"] = RedisCancellation,
        ["circuit"] = () => new BrokenCircuitException("The circuit is now open"),
        ["polly-timeout"] = () => new TimeoutRejectedException("The operation didn't complete within the allowed timeout"),
        ["http"] = () => new HttpRequestException("Connection refused (inventory:3001)"),
        ["aws"] = () => new AmazonS3Exception("Service unavailable", ErrorType.Receiver, "ServiceUnavailable", "request", HttpStatusCode.ServiceUnavailable),
        ["stripe"] = () => new DependencyUnavailableException("stripe", "Stripe did not answer"),
        ["bug"] = () => new InvalidOperationException("secret internal detail: Password=hunter2"),
    };

    private readonly CapturedLogs _logs = new();
    private PlatformTestApp _app = null!;

    public async Task InitializeAsync() => _app = await PlatformTestApp.StartAsync(
        new() { ["LOG_LEVEL"] = "info" },
        builder => builder.Logging.AddProvider(_logs),
        app => app.MapGet("/throw/{failure}", IResult (string failure) => throw Failures[failure]()));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("npgsql", "postgres")]
    [InlineData("postgres-shutdown", "postgres")]
    [InlineData("ef-retries", "postgres")]
    [InlineData("redis", "redis")]
    [InlineData("redis-timeout", "redis")]
    [InlineData("redis-cancelled", "redis")]
    [InlineData("circuit", "http")]
    [InlineData("polly-timeout", "http")]
    [InlineData("http", "http")]
    [InlineData("aws", "s3")]
    [InlineData("stripe", "stripe")]
    public async Task A_dependency_failure_is_a_503_with_retry_after_logged_once_as_a_warning_naming_the_dependency(string failure, string dependency)
    {
        var response = await _app.Client.GetAsync(new Uri($"/throw/{failure}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A dependency of this service is unavailable; retry shortly.", problem.GetProperty("detail").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        var logged = Assert.Single(HandlerEntries());
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal(dependency, logged["Dependency"]);
        Assert.Null(logged.Exception); // one line, no stack trace
    }

    [Fact]
    public async Task Our_own_bug_is_a_500_logged_as_an_error_with_its_stack_trace()
    {
        var response = await _app.Client.GetAsync(new Uri("/throw/bug", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var logged = Assert.Single(HandlerEntries());
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact]
    public async Task A_cancellation_is_499_when_the_client_went_away_and_503_when_a_dependency_gave_up()
    {
        var aborted = await HandleAsync(new OperationCanceledException(), clientAborted: true);
        var cancelledByRedis = await HandleAsync(RedisCancellation(), clientAborted: false);
        var redisCancelledAfterTheClientLeft = await HandleAsync(RedisCancellation(), clientAborted: true);

        Assert.Equal(499, aborted);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, cancelledByRedis);
        Assert.Equal(499, redisCancelledAfterTheClientLeft);
    }

    private IEnumerable<LogEntry> HandlerEntries() =>
        _logs.Entries.Where(entry => entry.Category == "Platform.Errors.PlatformExceptionHandler");

    private static async Task<int> HandleAsync(Exception exception, bool clientAborted)
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        using var aborted = new CancellationTokenSource();
        if (clientAborted)
        {
            await aborted.CancelAsync();
        }

        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = aborted.Token };
        context.Response.Body = new MemoryStream();
        var handler = new PlatformExceptionHandler(
            services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), new DependencyFailures([]), TimeProvider.System,
            NullLogger<PlatformExceptionHandler>.Instance);
        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));
        return context.Response.StatusCode;
    }

    // What StackExchange.Redis throws at the caller when it cancels a call it gave up on (its task carries the keyspace's state).
    private static TaskCanceledException RedisCancellation()
    {
        var call = new TaskCompletionSource<RedisValue>(RedisKeyspace.TaskState);
        call.SetCanceled();
        try
        {
            call.Task.GetAwaiter().GetResult();
        }
        catch (TaskCanceledException exception)
        {
            return exception;
        }

        throw new InvalidOperationException("unreachable");
    }
}
