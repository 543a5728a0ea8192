using Microsoft.Extensions.Options;

namespace Platform.Configuration;

/// <summary>Turns the exceptions that invalid configuration raises into one message naming every bad variable.</summary>
public static class ConfigurationErrors
{
    public static IReadOnlyList<string>? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.All(inner => Describe(inner) is not null) =>
            aggregate.InnerExceptions.SelectMany(inner => Describe(inner)!).Distinct().ToList(),
        // The binder reports a value it cannot convert, naming the variable ("... at 'PORT' to type ...").
        InvalidOperationException { InnerException: not null } conversion
            when conversion.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [conversion.Message],
        _ => null,
    };

    public static string Format(IEnumerable<string> failures) =>
        "Invalid configuration; fix these environment variables:" + string.Concat(failures.Select(failure => Environment.NewLine + "  - " + failure));
}
