using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Configuration;

/// <summary>A variable a service reads, and its default (null: none, the variable is required or optional).</summary>
public sealed record ConfigurationVariable(string Name, string? Default);

/// <summary>An options class a service binds from its environment (<see cref="OptionsRegistration.AddEnvironmentOptions{TOptions}"/>).</summary>
internal sealed record EnvironmentOptionsType(Type Type);

/// <summary>
/// Every variable a service reads, from what it registered: the options classes (their <c>ConfigurationKeyName</c> and
/// default), the plain variables and secrets it requires (a secret as <c>X</c> and <c>X_ARN</c>), and those read before
/// any options exist (<see cref="DeclareVariable"/>). <c>dotnet Service.dll configuration</c> prints it, and a test holds
/// docs/configuration.md to it.
/// </summary>
public static class ConfigurationCatalog
{
    /// <summary>Declares a variable read while the application is built, outside any options class; returns its name.</summary>
    public static string DeclareVariable(this IHostApplicationBuilder builder, string name, string? defaultValue = null)
    {
        builder.Services.AddSingleton(new ConfigurationVariable(name, defaultValue));
        return name;
    }

    /// <summary>Declares a secret (<c>X</c> and <c>X_ARN</c>) that only some configurations require.</summary>
    public static void DeclareSecret(this IHostApplicationBuilder builder, string name)
    {
        builder.DeclareVariable(name);
        builder.DeclareVariable(name + "_ARN");
    }

    public static IReadOnlyList<ConfigurationVariable> Describe(IServiceProvider services)
    {
        var variables = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var options in services.GetServices<EnvironmentOptionsType>().Select(o => o.Type).Distinct())
        {
            var defaults = Activator.CreateInstance(options);
            foreach (var property in options.GetProperties())
            {
                if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>() is { } key)
                {
                    variables[key.Name] = Format(property.GetValue(defaults), property.GetCustomAttribute<RangeAttribute>());
                }
            }
        }

        // The declarations, not the validated options: this runs without the environment the validation wants.
        var required = new RequiredVariables();
        foreach (var configure in services.GetServices<IConfigureOptions<RequiredVariables>>())
        {
            configure.Configure(required);
        }

        foreach (var name in required.Plain.Concat(required.Secrets).Concat(required.Secrets.Select(secret => secret + "_ARN")))
        {
            variables.TryAdd(name, null);
        }

        foreach (var variable in services.GetServices<ConfigurationVariable>())
        {
            variables.TryAdd(variable.Name, variable.Default);
        }

        return [.. variables.Select(variable => new ConfigurationVariable(variable.Key, variable.Value))];
    }

    // A value the validation would refuse (a port of 0) is no default: the variable must be given, or comes from elsewhere.
    private static string? Format(object? value, RangeAttribute? range) => value switch
    {
        null or "" => null,
        bool flag => flag ? "true" : "false",
        IConvertible number when range is not null && !range.IsValid(number) => null,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
