using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace LoadGenerator;

/// <summary>
/// A request a busy service turned away (503 with <c>Retry-After</c>: load shedding, or a dependency away for a moment)
/// is sent again after the time it asked for, as a well-behaved client does. No other failure is retried, so nothing
/// is made twice by a retry.
/// </summary>
public static class BusyRetry
{
    public static HttpMessageHandler Handler(int maxRetries, HttpMessageHandler inner) =>
        new ResilienceHandler(new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = maxRetries,
            ShouldHandle = attempt => ValueTask.FromResult(attempt.Outcome.Result is { StatusCode: HttpStatusCode.ServiceUnavailable, Headers.RetryAfter: not null }),
            ShouldRetryAfterHeader = true,
        }).Build())
        {
            InnerHandler = inner,
        };
}
