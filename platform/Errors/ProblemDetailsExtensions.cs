using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace Platform.Errors;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error is an RFC 9457 problem with a <c>traceId</c>: exceptions, binding failures (thrown as
    /// <see cref="BadHttpRequestException"/> so they become 400/413/415 instead of empty responses), and bare status codes.
    /// Failures of dependencies are 503s (<see cref="DependencyFailures"/>); every factory-made <see cref="HttpClient"/>
    /// names its failures after itself.
    /// </summary>
    internal static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddDependencyFailures();
        services.ConfigureAll<HttpClientFactoryOptions>(options => options.HttpMessageHandlerBuilderActions.Add(handlers =>
            handlers.AdditionalHandlers.Insert(0, new DependencyNamingHandler(string.IsNullOrEmpty(handlers.Name) ? DependencyFailures.Http : handlers.Name))));
        services.TryAddSingleton(TimeProvider.System);
        services.AddExceptionHandler<PlatformExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    internal static IServiceCollection AddDependencyFailures(this IServiceCollection services)
    {
        services.TryAddSingleton<DependencyFailures>();
        return services;
    }
}
