using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Api;
using Platform.Redis;

namespace Storefront.Sessions;

/// <summary>Sessions in Redis (the platform's keyspace), each expiring <c>SESSION_TIMEOUT</c> seconds after its last use.</summary>
public sealed class SessionStore(RedisKeyspace redis, IOptions<StorefrontOptions> options)
{
    private TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.SessionTimeoutSeconds);

    /// <summary>A new session id: 256 random bits, URL-safe.</summary>
    public static string NewId() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="id"/> could be one of ours, so a forged cookie never reaches Redis as an odd key.</summary>
    public static bool IsWellFormed(string? id) => id is { Length: 43 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async Task<SessionData?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var value = await redis.Database.StringGetSetExpiryAsync(Key(id), Lifetime);
        return value.HasValue ? JsonSerializer.Deserialize<SessionData>((byte[])value!, ApiJson.Options) : null;
    }

    public async Task SaveAsync(string id, SessionData data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await redis.Database.StringSetAsync(Key(id), JsonSerializer.SerializeToUtf8Bytes(data, ApiJson.Options), Lifetime);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await redis.Database.KeyDeleteAsync(Key(id));
    }

    /// <summary>
    /// Runs <paramref name="refresh"/> while holding the session's refresh lock, so two requests of one browser never
    /// both spend its refresh token (customers ends a session whose old refresh token is replayed). Returns false when
    /// another request held the lock for the whole wait; the caller then reloads the session it refreshed.
    /// </summary>
    public async Task<bool> WithRefreshLockAsync(string id, Func<Task> refresh, CancellationToken cancellationToken)
    {
        var lockKey = Key(id) + ":refresh";
        var owner = NewId();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            if (await redis.Database.LockTakeAsync(lockKey, owner, TimeSpan.FromSeconds(10)))
            {
                try
                {
                    await refresh();
                    return true;
                }
                finally
                {
                    // Released only by its owner, in one step: a lock that expired and another request took stays its.
                    await redis.Database.LockReleaseAsync(lockKey, owner);
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private static string Key(string id) => "session:" + id;
}
