using Microsoft.Extensions.DependencyInjection;

namespace Platform.Errors;

public static class DependencyFailureExtensions
{
    /// <summary>
    /// Teaches <see cref="DependencyFailures"/> a failure of one of the service's own dependencies: an exception
    /// anywhere in a failure's inner-exception chain that <paramref name="matches"/> makes the request a 503 naming
    /// <paramref name="dependency"/>, as the platform's own dependencies (PostgreSQL, Redis, AWS) are.
    /// </summary>
    public static IServiceCollection AddDependencyFailure(this IServiceCollection services, string dependency, Func<Exception, bool> matches)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dependency);
        ArgumentNullException.ThrowIfNull(matches);
        services.AddSingleton(new DependencyFailureRule(dependency, matches));
        return services;
    }
}

/// <summary>One registered way to recognise a dependency's failure (<see cref="DependencyFailureExtensions.AddDependencyFailure"/>).</summary>
public sealed record DependencyFailureRule(string Dependency, Func<Exception, bool> Matches);
