using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Errors;

namespace Platform.Secrets;

/// <summary>
/// Resolves a secret <c>X</c>: the variable <c>X</c> itself when set (local runs, or ECS <c>secrets</c> injection),
/// otherwise the Secrets Manager secret named by <c>X_ARN</c>, read through Parameter Store's
/// <c>/aws/reference/secretsmanager/</c> path, cached and re-read every <see cref="SecretsOptions.RefreshSeconds"/>.
/// If a refresh fails because Secrets Manager cannot be reached (<see cref="DependencyFailures"/>) or refuses, the last
/// good value stays in use, so a Secrets Manager outage never takes a service down. Each read is bounded by the AWS
/// client's timeout and retries (<see cref="Aws.AwsOptions"/>).
/// </summary>
public sealed class SecretStore(
    IConfiguration configuration,
    IAmazonSimpleSystemsManagement parameterStore,
    IOptions<SecretsOptions> options,
    TimeProvider time,
    DependencyFailures dependencies,
    ILogger<SecretStore> logger)
{
    private const string SecretsManagerReferencePrefix = "/aws/reference/secretsmanager/";

    private readonly ConcurrentDictionary<string, CachedSecret> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshLocks = new(StringComparer.Ordinal);

    public async ValueTask<string> GetAsync(string name, CancellationToken cancellationToken)
    {
        var direct = configuration[name];
        if (!string.IsNullOrEmpty(direct))
        {
            return direct;
        }

        var arn = configuration[name + "_ARN"];
        if (string.IsNullOrEmpty(arn))
        {
            throw new InvalidOperationException($"Neither {name} nor {name}_ARN is set.");
        }

        if (_cache.TryGetValue(name, out var cached) && cached.FreshUntil > time.GetUtcNow())
        {
            return cached.Value;
        }

        var refreshLock = _refreshLocks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (_cache.TryGetValue(name, out cached) && cached.FreshUntil > time.GetUtcNow())
            {
                return cached.Value;
            }

            try
            {
                var value = await ReadAsync(arn, cancellationToken);
                _cache[name] = new CachedSecret(value, time.GetUtcNow().AddSeconds(options.Value.RefreshSeconds));
                return value;
            }
            catch (Exception exception) when (cached is not null && !cancellationToken.IsCancellationRequested
                && (exception is AmazonServiceException || dependencies.Classify(exception) is not null))
            {
                logger.LogWarning("Refreshing secret {SecretName} failed; the last value stays in use ({ExceptionType}: {ExceptionMessage})",
                    name, exception.GetType().Name, exception.Message);
                return cached.Value;
            }
        }
        finally
        {
            refreshLock.Release();
        }
    }

    private async Task<string> ReadAsync(string arn, CancellationToken cancellationToken)
    {
        var candidates = SecretNames(arn);
        for (var i = 0; ; i++)
        {
            try
            {
                var response = await parameterStore.GetParameterAsync(
                    new GetParameterRequest { Name = SecretsManagerReferencePrefix + candidates[i], WithDecryption = true },
                    cancellationToken);
                return response.Parameter.Value;
            }
            catch (ParameterNotFoundException) when (i < candidates.Count - 1)
            {
            }
        }
    }

    /// <summary>
    /// Parameter Store references a secret by name (an ARN's colons are not allowed in a parameter name). A full ARN
    /// ends with <c>-</c> and six random characters that are not part of the name; a partial ARN or a plain name has none.
    /// </summary>
    internal static IReadOnlyList<string> SecretNames(string arnOrName)
    {
        const string marker = ":secret:";
        var start = arnOrName.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return [arnOrName];
        }

        var name = arnOrName[(start + marker.Length)..];
        var suffix = name.LastIndexOf('-');
        return suffix > 0 && name.Length - suffix == 7 ? [name, name[..suffix]] : [name];
    }

    private sealed record CachedSecret(string Value, DateTimeOffset FreshUntil);
}
