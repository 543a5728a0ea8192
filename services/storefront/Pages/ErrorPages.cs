using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Errors;
using Storefront.Clients;
using Storefront.Components.Pages;
using Storefront.Sessions;

namespace Storefront.Pages;

/// <summary>
/// What a shopper sees when a page cannot be served: signed out (or never signed in) → the sign-in page, coming back
/// here after; a product or order that does not exist, or is another shopper's → "not found"; an API or Redis away →
/// "try again shortly" with <c>Retry-After</c> (a 503, never a 500). Anything else is our bug: logged, and a page saying so.
/// </summary>
internal sealed class ErrorPages(DependencyFailures dependencies, ILogger<ErrorPages> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Request.Path.StartsWithSegments("/health"))
        {
            return false;
        }

        switch (exception)
        {
            case ShopperUnauthorizedException unauthorized:
                logger.LogInformation("{Method} {Path} sent the shopper to sign in: {Reason}", httpContext.Request.Method, httpContext.Request.Path,
                    unauthorized.Message);
                await httpContext.RequestServices.GetRequiredService<ShopperSession>().ForgetTokensAsync(cancellationToken);
                var back = httpContext.Request.Method == HttpMethods.Get ? httpContext.Request.Path + httpContext.Request.QueryString : "/";
                httpContext.Response.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString(back));
                return true;
            case ApiNotFoundException:
                await RenderAsync(httpContext, StatusCodes.Status404NotFound);
                return true;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                return false;
        }

        if (dependencies.Classify(exception) is { } dependency)
        {
            logger.LogWarning("{Dependency} is unavailable; {Method} {Path} showed the try-again page ({ExceptionType})",
                dependency, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().GetType().Name);
            httpContext.Response.Headers.RetryAfter =
                ((int)DependencyFailures.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RenderAsync(httpContext, StatusCodes.Status503ServiceUnavailable);
            return true;
        }

        logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        await RenderAsync(httpContext, StatusCodes.Status500InternalServerError);
        return true;
    }

    /// <summary>
    /// Renders the error page in a scope of its own: the page that failed may have used the request's component services
    /// (its navigation state, say), which render one component tree per scope.
    /// </summary>
    public static async Task RenderAsync(HttpContext context, int status)
    {
        var requestServices = context.RequestServices;
        await using var scope = requestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        try
        {
            await new RazorComponentResult<ErrorDocument>(new { Status = status }) { StatusCode = status }.ExecuteAsync(context);
        }
        finally
        {
            context.RequestServices = requestServices;
        }
    }
}
