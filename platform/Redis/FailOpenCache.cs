using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Api;
using Platform.Errors;
using Platform.Observability;
using StackExchange.Redis;

namespace Platform.Redis;

/// <summary>
/// Cache-aside over Redis that fails open: when Redis is slow or down, reads go straight to the source
/// (PostgreSQL) and the request still succeeds; Redis is an accelerator, never a dependency of a read. What counts as
/// Redis being away (refused, timed out, a hung call cancelled) is what <see cref="DependencyFailures"/> says; each
/// such failure is one warning line without a stack trace.
/// </summary>
/// <remarks><c>cache.requests</c> counts its reads by cache (a name, not a key) and result: hit, or miss (Redis did not have
/// the entry, or was away).</remarks>
public sealed class FailOpenCache(
    IConnectionMultiplexer redis, RedisKeyspace keyspace, DependencyFailures dependencies, IMeterFactory meters, ILogger<FailOpenCache> logger)
{
    private readonly Counter<long> _requests = meters.CreateApplicationMeter()
        .CreateCounter<long>("cache.requests", "{request}", "Cache reads, by cache and result (hit or miss).");

    /// <summary>
    /// Cache-aside for a response in a family of entries that one write makes stale together (a product, every page of
    /// a list): their keys carry the family's generation, and <see cref="InvalidateFamilyAsync"/> moves it on, so no old
    /// entry is read again. The entry is kept as the API's JSON (<see cref="ApiJson"/>) and returned as those UTF-8
    /// bytes, so a hit goes to the client as it is, with no deserialising and serialising again.
    /// A value that is null comes back as the JSON <c>null</c> (<see cref="IsNull"/>). <paramref name="cache"/> names the
    /// kind of entry in the metrics.
    /// </summary>
    public async Task<byte[]> GetOrCreateJsonInFamilyAsync<T>(
        string cache, string family, string key, TimeSpan timeToLive, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        async Task<byte[]> Serialized(CancellationToken ct)
        {
            _requests.Add(1, new("cache", cache), new("result", "miss"));
            return JsonSerializer.SerializeToUtf8Bytes(await load(ct), ApiJson.Options);
        }

        if (await FamilyKeyAsync(family, key) is not { } current)
        {
            return await Serialized(cancellationToken);
        }

        if (await ReadAsync(current) is { } cached)
        {
            _requests.Add(1, new("cache", cache), new("result", "hit"));
            return cached;
        }

        var value = await Serialized(cancellationToken);
        await WriteAsync(current, value, timeToLive);
        return value;
    }

    public static bool IsNull(ReadOnlySpan<byte> json) => json.SequenceEqual("null"u8);

    // The entry, or null when Redis has none or cannot say.
    private async Task<byte[]?> ReadAsync(string key)
    {
        if (!redis.IsConnected)
        {
            return null;
        }

        try
        {
            return (byte[]?)await keyspace.Database.StringGetAsync(key);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning("Cache read of {CacheKey} failed; serving from the source ({ExceptionType}: {ExceptionMessage})",
                key, exception.GetType().Name, exception.Message);
            return null;
        }
    }

    private async Task WriteAsync(string key, byte[] value, TimeSpan timeToLive)
    {
        if (!redis.IsConnected)
        {
            return;
        }

        try
        {
            await keyspace.Database.StringSetAsync(key, value, timeToLive);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning("Cache write of {CacheKey} failed ({ExceptionType}: {ExceptionMessage})", key, exception.GetType().Name, exception.Message);
        }
    }

    // The entry's key in the family's current generation; null when Redis cannot say, and the source must serve.
    private async Task<string?> FamilyKeyAsync(string family, string key)
    {
        if (!redis.IsConnected)
        {
            return null;
        }

        try
        {
            return $"{family}:{(long?)await keyspace.Database.StringGetAsync(GenerationKey(family)) ?? 0}:{key}";
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning("Cache read of the {CacheFamily} generation failed; serving from the source ({ExceptionType}: {ExceptionMessage})",
                family, exception.GetType().Name, exception.Message);
            return null;
        }
    }

    /// <summary>Makes every entry of the family stale. Returns false when Redis could not be reached (they expire with their TTL).</summary>
    public async Task<bool> InvalidateFamilyAsync(string family)
    {
        try
        {
            await keyspace.Database.StringIncrementAsync(GenerationKey(family));
            return true;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning("Cache invalidation of {CacheFamily} failed ({ExceptionType}: {ExceptionMessage})",
                family, exception.GetType().Name, exception.Message);
            return false;
        }
    }

    private static RedisKey GenerationKey(string family) => $"generation:{family}";

    // Whatever Redis answers with an error (out of memory, say) is also a reason to serve from the source.
    private bool IsRedisFailure(Exception exception) => exception is RedisException || dependencies.Classify(exception) == DependencyFailures.Redis;
}
