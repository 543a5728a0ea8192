using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Platform.Api;
using StackExchange.Redis;

namespace Platform.Errors;

/// <summary>
/// Maps exceptions to problem details. Client mistakes keep their status with a fixed, safe description;
/// anything else is a 500 that is logged in full but tells the client nothing about the internals.
/// </summary>
internal sealed class PlatformExceptionHandler(IProblemDetailsService problems, ILogger<PlatformExceptionHandler> logger) : IExceptionHandler
{
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
            RedisConnectionException or RedisTimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "A dependency of this service is unavailable; retry shortly."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Client closed request", "The client closed the request."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred", "The error has been logged with this traceId."),
        };

        if (status >= StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.SetRetryAfter(TimeSpan.FromSeconds(5));
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    // The framework's messages name the parameter and its type, which helps the client and reveals nothing internal.
    // A JSON error names where in the body it happened (its path), never the types behind it.
    private static string DescribeBadRequest(BadHttpRequestException exception) =>
        exception.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint at {json.Path ?? "$"}: malformed, a field of the wrong type, or a field it does not accept."
            : exception.Message;
}
