using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Api;

public static class RetryAfter
{
    /// <summary>Sets <c>Retry-After</c> to <paramref name="wait"/> in whole seconds, rounded up and at least one.</summary>
    public static void SetRetryAfter(this HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Answers a request a middleware turns away (a limit, a busy task): the status, <c>Retry-After</c>, a problem.</summary>
    public static async ValueTask WriteRetryLaterAsync(this HttpContext context, int status, string title, string detail, TimeSpan retryAfter)
    {
        context.Response.StatusCode = status;
        context.Response.SetRetryAfter(retryAfter);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
