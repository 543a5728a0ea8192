using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Configuration;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the root configuration (environment variables) and validates it
    /// when the host starts, so a bad deployment fails at start-up rather than at its first request.
    /// </summary>
    public static OptionsBuilder<TOptions> AddEnvironmentOptions<TOptions>(this IHostApplicationBuilder builder)
        where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>, EnvironmentOptionsValidator<TOptions>>();
        builder.Services.AddSingleton(new EnvironmentOptionsType(typeof(TOptions)));
        return builder.Services.AddOptions<TOptions>()
            .Bind(builder.Configuration)
            .ValidateOnStart();
    }
}
