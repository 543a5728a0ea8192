using System.Buffers.Binary;
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
    // An entry's first bytes: the family's generation it was written in.
    private const int StampLength = sizeof(long);

    private readonly Counter<long> _requests = meters.CreateApplicationMeter()
        .CreateCounter<long>("cache.requests", "{request}", "Cache reads, by cache and result (hit or miss).");

    /// <summary>
    /// Cache-aside for a response in a family of entries that one write makes stale together (a product, every page of
    /// a list): each entry begins with the family's generation it was written in, and <see cref="InvalidateFamilyAsync"/>
    /// moves the generation on, so no old entry is served again. One MGET reads the generation and the entry together:
    /// a hit is one round trip to Redis. The entry is kept as the API's JSON (<see cref="ApiJson"/>) and returned as those
    /// UTF-8 bytes, so a hit goes to the client as it is, with no deserialising and serialising again.
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

        var entryKey = EntryKey(family, key);
        if (await ReadInFamilyAsync(family, entryKey) is not var (generation, cached))
        {
            return await Serialized(cancellationToken);
        }

        if (cached is not null)
        {
            _requests.Add(1, new("cache", cache), new("result", "hit"));
            return cached;
        }

        var value = await Serialized(cancellationToken);
        await WriteAsync(entryKey, Stamped(generation, value), timeToLive);
        return value;
    }

    public static bool IsNull(ReadOnlySpan<byte> json) => json.SequenceEqual("null"u8);

    // The family's current generation, and the entry's JSON when the entry was written in that generation; null when
    // Redis cannot say, and the source must serve.
    private async Task<(long Generation, byte[]? Json)?> ReadInFamilyAsync(string family, RedisKey entryKey)
    {
        if (!redis.IsConnected)
        {
            return null;
        }

        try
        {
            var values = await keyspace.Database.StringGetAsync([GenerationKey(family), entryKey]);
            long generation = 0;
            if (!values[0].IsNull && !values[0].TryParse(out generation))
            {
                // Not a generation this cache wrote: no entry can be trusted, and none is written.
                return null;
            }

            var entry = (byte[]?)values[1];
            return (generation, entry is { Length: > StampLength } && BinaryPrimitives.ReadInt64LittleEndian(entry) == generation
                ? entry[StampLength..]
                : null);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning("Cache read of {CacheKey} failed; serving from the source ({ExceptionType}: {ExceptionMessage})",
                entryKey, exception.GetType().Name, exception.Message);
            return null;
        }
    }

    private async Task WriteAsync(RedisKey key, byte[] value, TimeSpan timeToLive)
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

    private static byte[] Stamped(long generation, byte[] json)
    {
        var entry = new byte[StampLength + json.Length];
        BinaryPrimitives.WriteInt64LittleEndian(entry, generation);
        json.CopyTo(entry, StampLength);
        return entry;
    }

    /// <summary>
    /// Makes every entry of the family stale. Returns false when Redis could not be reached (they expire with their TTL).
    /// The new generation is a random number rather than the last one plus one: a count starts again from 1 when its key
    /// is lost (evicted, flushed, or an increment lost in a failover), and the entries stamped 1 before the loss would be
    /// served again as current.
    /// </summary>
    public async Task<bool> InvalidateFamilyAsync(string family)
    {
        try
        {
            // Below 2^62: a release that still counts up (during a rolling deploy) can add to it without overflowing.
            await keyspace.Database.StringSetAsync(GenerationKey(family), Random.Shared.NextInt64(1, 1L << 62));
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

    // "stamped" keeps these keys apart from the entries of a release that put the generation in the key
    // ("{family}:{generation}:{key}"), which may still be running during a rolling deploy.
    private static RedisKey EntryKey(string family, string key) => $"{family}:stamped:{key}";

    // Whatever Redis answers with an error (out of memory, say) is also a reason to serve from the source.
    private bool IsRedisFailure(Exception exception) => exception is RedisException || dependencies.Classify(exception) == DependencyFailures.Redis;
}
