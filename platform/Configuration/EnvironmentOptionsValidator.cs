using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Platform.Configuration;

/// <summary>
/// Validates options bound from environment variables with their data annotations, and names each failure
/// by its variable (<see cref="ConfigurationKeyNameAttribute"/>) so that an operator knows what to fix.
/// </summary>
public sealed class EnvironmentOptionsValidator<TOptions> : IValidateOptions<TOptions> where TOptions : class
{
    private static readonly PropertyInfo[] Properties = typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        foreach (var property in Properties)
        {
            var variable = VariableName(property);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = variable };
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateProperty(property.GetValue(options), context, results))
            {
                failures.AddRange(results.Select(result => result.ErrorMessage ?? $"{variable} is invalid."));
            }
        }

        if (options is IValidatableObject validatable)
        {
            failures.AddRange(validatable.Validate(new ValidationContext(options)).Select(result => result.ErrorMessage ?? "invalid"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string VariableName(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
}
