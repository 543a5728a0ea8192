using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Amazon.Runtime;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Platform.Redis;
using StackExchange.Redis;

namespace Platform.Errors;

/// <summary>
/// The one place that decides whether an exception means "a dependency is unavailable" and which one: PostgreSQL
/// (connection failures, the server's shutdown and availability codes, EF Core's exhausted retries), Redis (connection,
/// timeout, a hung call cancelled), an outgoing HTTP client (connection failure, 5xx, timeout, Polly's open circuit,
/// timeout or rate limiter, named after the client), AWS (network failures, 5xx and throttling, named after the
/// service), a <see cref="DependencyUnavailableException"/>, and what a service registers with
/// <see cref="DependencyFailureExtensions.AddDependencyFailure"/>. The whole inner-exception chain is inspected.
/// A client abort is not a dependency failure; the caller tells those apart (only it knows the request).
/// </summary>
public sealed class DependencyFailures(IEnumerable<DependencyFailureRule> rules)
{
    /// <summary>What a 503 for an unavailable dependency asks the client to wait before retrying.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public const string Postgres = "postgres";
    public const string Redis = "redis";

    /// <summary>An HTTP call not made through a named client of the factory (those are named after the client).</summary>
    public const string Http = "http";

    private const string DependencyKey = "Platform.Dependency";
    private const int MaxDepth = 16;

    private readonly DependencyFailureRule[] _rules = [.. rules];

    /// <summary>The unavailable dependency's name, or null when <paramref name="exception"/> is not a dependency failure.</summary>
    public string? Classify(Exception exception)
    {
        var chain = Chain(exception).ToList();
        foreach (var candidate in chain)
        {
            if (candidate is DependencyUnavailableException unavailable)
            {
                return unavailable.Dependency;
            }

            if (_rules.FirstOrDefault(rule => rule.Matches(candidate)) is { } matched)
            {
                return matched.Dependency;
            }
        }

        // The client a failure came out of (an HTTP client's name, an AWS service) names it better than its type does;
        // a cancellation that came out of a client is that client giving up (the caller rules out a client abort).
        var named = chain.Select(candidate => candidate.Data[DependencyKey] as string).FirstOrDefault(name => name is not null);
        var failure = chain.Select(BuiltIn).FirstOrDefault(name => name is not null);
        return failure is not null || (named is not null && chain.Any(candidate => candidate is OperationCanceledException)) ? named ?? failure : null;
    }

    /// <summary>Marks <paramref name="exception"/> as having come out of <paramref name="dependency"/>; always false, for use in an exception filter.</summary>
    internal static bool Tag(Exception exception, string dependency)
    {
        if (!exception.Data.Contains(DependencyKey))
        {
            exception.Data[DependencyKey] = dependency;
        }

        return false;
    }

    private static string? BuiltIn(Exception exception) => exception switch
    {
        RetryLimitExceededException => Postgres,
        PostgresException postgres => IsUnavailable(postgres.SqlState) ? Postgres : null,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException ? Postgres : null,
        RedisConnectionException or RedisTimeoutException => Redis,
        // A command written while StackExchange.Redis tears a failed connection down fails with System.IO.Pipelines'
        // "Writing is not allowed after writer was completed", not with one of its own exceptions.
        InvalidOperationException when ThrownInside(exception, typeof(IConnectionMultiplexer).Assembly) => Redis,
        TaskCanceledException { Task.AsyncState: var state } when ReferenceEquals(state, RedisKeyspace.TaskState) => Redis,
        BrokenCircuitException or TimeoutRejectedException or RateLimiterRejectedException => Http,
        HttpRequestException http =>
            http.StatusCode is null or >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                ? Http
                : null,
        // HttpClient's own timeout: a cancellation whose inner exception is the timeout.
        TaskCanceledException { InnerException: TimeoutException } => Http,
        AmazonServiceException aws => IsUnavailable(aws) ? AwsService(aws) : null,
        AmazonClientException aws => AwsService(aws),
        _ => null,
    };

    /// <summary>
    /// Connection exceptions (08), insufficient resources (53: too many connections, out of memory, disk full), the
    /// server shutting down or starting up (57P01–57P03), and system errors (58).
    /// </summary>
    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("58", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;

    private static bool IsUnavailable(AmazonServiceException exception) =>
        exception.StatusCode is >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
        || exception.Retryable is not null
        || exception.ErrorCode is "Throttling" or "ThrottlingException" or "ThrottledException" or "RequestThrottled" or "RequestThrottledException"
            or "SlowDown" or "RequestLimitExceeded" or "TooManyRequestsException" or "RequestTimeout" or "RequestTimeoutException"
        || exception.InnerException is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException;

    // Each service's exceptions live in its client's namespace: Amazon.S3, Amazon.SQS, Amazon.SimpleSystemsManagement.
    private static string AwsService(Exception exception) => exception.GetType().Namespace switch
    {
        "Amazon.S3" => "s3",
        "Amazon.SQS" => "sqs",
        "Amazon.SimpleSystemsManagement" => "secrets",
        _ => exception.Data[DependencyKey] as string ?? "aws",
    };

    private static bool ThrownInside(Exception exception, Assembly assembly) =>
        new StackTrace(exception).GetFrames().Any(frame => frame.GetMethod()?.DeclaringType?.Assembly == assembly);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Queue<(Exception Exception, int Depth)>();
        pending.Enqueue((exception, 0));
        while (pending.TryDequeue(out var next))
        {
            yield return next.Exception;
            if (next.Depth >= MaxDepth)
            {
                continue;
            }

            if (next.Exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Enqueue((inner, next.Depth + 1));
                }
            }
            else if (next.Exception.InnerException is { } inner)
            {
                pending.Enqueue((inner, next.Depth + 1));
            }
        }
    }
}
