using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Platform.Api;
using Platform.Observability;

namespace Platform.Errors;

/// <summary>
/// Maps exceptions to problem details. Client mistakes keep their status with a fixed, safe description; a client
/// that went away is a 499; an unavailable dependency (<see cref="DependencyFailures"/>) is a 503 with
/// <c>Retry-After</c>, logged as a warning naming the dependency (at most once a second per dependency, with how many
/// requests it failed since); anything else is our bug: a 500 that is logged in full but tells the client nothing about
/// the internals.
/// </summary>
internal sealed class PlatformExceptionHandler(
    IProblemDetailsService problems, DependencyFailures dependencies, TimeProvider time, ILogger<PlatformExceptionHandler> logger) : IExceptionHandler
{
    private readonly ConcurrentDictionary<string, LogThrottle> _outages = new(StringComparer.Ordinal);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "Request body too large", "The request body exceeds the size this service accepts."),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the request body as application/json."),
            BadHttpRequestException bad =>
                (bad.StatusCode, "Bad request", DescribeBadRequest(bad)),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Client closed request", "The client closed the request."),
            _ when dependencies.Classify(exception) is { } dependency => Unavailable(httpContext, exception, dependency),
            _ => Bug(httpContext, exception),
        };

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.SetRetryAfter(DependencyFailures.RetryAfter);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    // An outage is expected and says nothing new per request: a line naming the dependency, no stack trace, and during
    // an outage one a second.
    private (int, string, string) Unavailable(HttpContext httpContext, Exception exception, string dependency)
    {
        if (_outages.GetOrAdd(dependency, _ => new LogThrottle(time)).Count() is { } failed)
        {
            var cause = exception.GetBaseException();
            logger.LogWarning("{Dependency} is unavailable; {Method} {Path} answered 503 ({ExceptionType}: {ExceptionMessage}); "
                + "{Failed} answered 503 for it since the last report",
                dependency, httpContext.Request.Method, httpContext.Request.Path, cause.GetType().Name, cause.Message, failed);
        }

        return (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "A dependency of this service is unavailable; retry shortly.");
    }

    private (int, string, string) Bug(HttpContext httpContext, Exception exception)
    {
        logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        return (StatusCodes.Status500InternalServerError, "An unexpected error occurred", "The error has been logged with this traceId.");
    }

    // The framework's messages name the parameter and its type, which helps the client and reveals nothing internal.
    // A JSON error names where in the body it happened (its path), never the types behind it.
    private static string DescribeBadRequest(BadHttpRequestException exception) =>
        exception.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint at {json.Path ?? "$"}: malformed, a field of the wrong type, "
                + "or a field it does not accept."
            : exception.Message;
}
