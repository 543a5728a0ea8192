using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Platform.Api;

public static class RetryAfter
{
    /// <summary>Sets <c>Retry-After</c> to <paramref name="wait"/> in whole seconds, rounded up and at least one.</summary>
    public static void SetRetryAfter(this HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
