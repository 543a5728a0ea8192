using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Configuration;

/// <summary>
/// Plain variables a service needs (a bucket or queue name) and secrets it needs as <c>X</c> or <c>X_ARN</c>,
/// checked together with the options at start-up so that one message names everything missing.
/// </summary>
public sealed class RequiredVariables
{
    public HashSet<string> Plain { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Secrets { get; } = new(StringComparer.Ordinal);

    public static void Require(IHostApplicationBuilder builder, string variable) =>
        Register(builder).Configure(required => required.Plain.Add(variable));

    public static void RequireSecret(IHostApplicationBuilder builder, string secret) =>
        Register(builder).Configure(required => required.Secrets.Add(secret));

    private static OptionsBuilder<RequiredVariables> Register(IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<RequiredVariables>, Validator>();
        builder.Services.AddOptions<RequiredVariables>().ValidateOnStart();
        return builder.Services.AddOptions<RequiredVariables>();
    }

    private sealed class Validator(IConfiguration configuration) : IValidateOptions<RequiredVariables>
    {
        public ValidateOptionsResult Validate(string? name, RequiredVariables options)
        {
            var failures = options.Plain.Where(variable => string.IsNullOrWhiteSpace(configuration[variable]))
                .Select(variable => $"{variable} is required.")
                .Concat(options.Secrets
                    .Where(secret => string.IsNullOrWhiteSpace(configuration[secret]) && string.IsNullOrWhiteSpace(configuration[secret + "_ARN"]))
                    .Select(secret => $"{secret} or {secret}_ARN (a Secrets Manager ARN) is required."))
                .ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
