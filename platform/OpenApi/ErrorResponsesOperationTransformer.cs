using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Platform.Api;

namespace Platform.OpenApi;

/// <summary>
/// The errors the platform gives on any route, whatever the endpoint declares: 400 from the input rules (every query
/// value, route value and JSON string is checked), 413 and 415 where a body is accepted, 429 from the per-address rate
/// limit and 503 from admission control or a dependency (both with <c>Retry-After</c>), and 500 from the exception
/// handler. Every error response is a problem.
/// </summary>
internal sealed class ErrorResponsesOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= new OpenApiResponses();
        ErrorResponses.AddProblem(operation, StatusCodes.Status400BadRequest,
            $"The request is invalid; errors names each field (a value that {InputRules.Message[..^1]}, say).",
            PlatformDocumentTransformer.ValidationProblemSchema);
        if (operation.RequestBody is not null)
        {
            ErrorResponses.AddProblem(operation, StatusCodes.Status413PayloadTooLarge, "The body is larger than MAX_REQUEST_BODY_BYTES.");
            ErrorResponses.AddProblem(operation, StatusCodes.Status415UnsupportedMediaType, "The body is not application/json.");
        }

        // The routes exempt from the rate limit are exempt from admission control too (the health checks).
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DisableRateLimitingAttribute>().Any() is false)
        {
            ErrorResponses.AddProblem(operation, StatusCodes.Status429TooManyRequests,
                "Too many requests from this client address (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS).");
            ErrorResponses.AddProblem(operation, StatusCodes.Status503ServiceUnavailable,
                "The service is busy or a dependency is unavailable; retry after Retry-After.");
        }

        ErrorResponses.AddProblem(operation, StatusCodes.Status500InternalServerError, "An unexpected error; it is logged with the traceId.");
        foreach (var (status, declared) in operation.Responses)
        {
            if (declared is not OpenApiResponse response || !ErrorResponses.IsError(status))
            {
                continue;
            }

            ErrorResponses.WithProblemBody(response);
            if (status is "429" or "503")
            {
                ErrorResponses.WithRetryAfter(response);
            }
        }

        return Task.CompletedTask;
    }
}
