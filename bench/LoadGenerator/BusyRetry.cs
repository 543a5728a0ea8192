using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace LoadGenerator;

/// <summary>
/// A request a service turned away with 503 and <c>Retry-After</c> (load shedding, or a dependency away for a moment)
/// is sent again after the time it asked for, as a well-behaved client does; no other failure is retried. A 503 from
/// a dependency can follow a write that took effect, so the scenarios that retry count what they made exactly (a
/// second reservation would break the flash sale's count and the stock check).
/// </summary>
public static class BusyRetry
{
    public static HttpMessageHandler Handler(int maxRetries, HttpMessageHandler inner) =>
        new ResilienceHandler(new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = maxRetries,
            ShouldHandle = attempt =>
                ValueTask.FromResult(attempt.Outcome.Result is { StatusCode: HttpStatusCode.ServiceUnavailable, Headers.RetryAfter: not null }),
            ShouldRetryAfterHeader = true,
        }).Build())
        {
            InnerHandler = inner,
        };
}
