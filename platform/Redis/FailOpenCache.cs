using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Platform.Redis;

/// <summary>
/// Cache-aside over Redis that fails open: when Redis is slow or down, reads go straight to the source
/// (PostgreSQL) and the request still succeeds; Redis is an accelerator, never a dependency of a read.
/// </summary>
public sealed class FailOpenCache(IConnectionMultiplexer redis, RedisKeyspace keyspace, ILogger<FailOpenCache> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<T> GetOrCreateAsync<T>(string key, TimeSpan timeToLive, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                var cached = await keyspace.Database.StringGetAsync(key);
                if (cached.HasValue)
                {
                    return JsonSerializer.Deserialize<T>((byte[])cached!, Json)!;
                }
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                logger.LogWarning(exception, "Cache read of {CacheKey} failed; serving from the source", key);
            }
        }

        var value = await load(cancellationToken);
        if (redis.IsConnected)
        {
            try
            {
                await keyspace.Database.StringSetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, Json), timeToLive);
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                logger.LogWarning(exception, "Cache write of {CacheKey} failed", key);
            }
        }

        return value;
    }

    /// <summary>
    /// Cache-aside for a family of entries that one write makes stale together (every page of a list): their keys
    /// carry the family's generation, and <see cref="InvalidateFamilyAsync"/> moves it on, so no old entry is read again.
    /// </summary>
    public async Task<T> GetOrCreateInFamilyAsync<T>(string family, string key, TimeSpan timeToLive, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        long? generation = null;
        if (redis.IsConnected)
        {
            try
            {
                generation = (long?)await keyspace.Database.StringGetAsync(GenerationKey(family)) ?? 0;
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                logger.LogWarning(exception, "Cache read of the {CacheFamily} generation failed; serving from the source", family);
            }
        }

        return generation is { } current
            ? await GetOrCreateAsync($"{family}:{current}:{key}", timeToLive, load, cancellationToken)
            : await load(cancellationToken);
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
            logger.LogWarning(exception, "Cache invalidation of {CacheFamily} failed", family);
            return false;
        }
    }

    /// <summary>Removes keys after a write. Returns false when Redis could not be reached (the entries expire with their TTL).</summary>
    public async Task<bool> InvalidateAsync(params RedisKey[] keys)
    {
        try
        {
            await keyspace.Database.KeyDeleteAsync(keys);
            return true;
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning(exception, "Cache invalidation of {CacheKeys} failed", keys.Select(key => key.ToString()));
            return false;
        }
    }

    private static RedisKey GenerationKey(string family) => $"generation:{family}";

    private static bool IsRedisFailure(Exception exception) => exception is RedisException or RedisTimeoutException or TimeoutException;
}
