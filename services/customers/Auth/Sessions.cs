using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Platform.Redis;
using StackExchange.Redis;

namespace Customers.Auth;

/// <summary>A session's id and the refresh token that continues it.</summary>
public sealed record SessionGrant(Guid CustomerId, string SessionId, string RefreshToken);

/// <summary>
/// Sessions in Redis. A refresh token is <c>&lt;session id&gt;.&lt;secret&gt;</c>; only a SHA-256 of the secret is
/// stored. Every refresh swaps the secret (compare-and-set, so two racing refreshes cannot both win) and restarts the
/// <c>SESSION_TIMEOUT</c> countdown. The hashes of the last <see cref="RetiredSecretsKept"/> secrets of a session are
/// kept beside it: a refresh token that was valid once but is no longer the current one means two parties hold the
/// session, so the whole session ends. A secret that was never valid for the session (a guess next to a known session
/// id) changes nothing.
/// </summary>
public sealed class Sessions(RedisKeyspace redis, IOptions<CustomersOptions> options)
{
    /// <summary>The longest refresh token accepted; a real one (a session id, a dot and the secret) has 76 characters.</summary>
    public const int MaxRefreshTokenLength = 100;

    private const string CustomerField = "customer";
    private const string RefreshField = "refresh";

    /// <summary>About a day of refreshes at the default access token lifetime; an older secret is only refused.</summary>
    public const int RetiredSecretsKept = 100;

    private IDatabase Db => redis.Database;

    private TimeSpan Timeout => options.Value.SessionTimeout;

    public async Task<SessionGrant> StartAsync(Guid customerId)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        var secret = NewSecret();
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(SessionKey(sessionId), [new(CustomerField, customerId.ToString()), new(RefreshField, Hash(secret))]);
        _ = transaction.KeyExpireAsync(SessionKey(sessionId), Timeout);
        _ = transaction.SetAddAsync(CustomerSessionsKey(customerId), sessionId);
        _ = transaction.KeyExpireAsync(CustomerSessionsKey(customerId), Timeout);
        await transaction.ExecuteAsync();
        return new SessionGrant(customerId, sessionId, sessionId + "." + secret);
    }

    /// <summary>The session continued with a new refresh token, or null (and the session ended if the token was replayed).</summary>
    public async Task<SessionGrant?> RotateAsync(string? refreshToken)
    {
        if (!TryParse(refreshToken, out var sessionId, out var secret))
        {
            return null;
        }

        var key = SessionKey(sessionId);
        var retired = RetiredKey(sessionId);
        var presented = Hash(secret);
        var next = NewSecret();
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(key, RefreshField, presented));
        var customer = transaction.HashGetAsync(key, CustomerField);
        _ = transaction.HashSetAsync(key, RefreshField, Hash(next));
        _ = transaction.KeyExpireAsync(key, Timeout);
        _ = transaction.ListLeftPushAsync(retired, presented);
        _ = transaction.ListTrimAsync(retired, 0, RetiredSecretsKept - 1);
        _ = transaction.KeyExpireAsync(retired, Timeout);
        if (!await transaction.ExecuteAsync())
        {
            // Theft detection: only a secret this session once had ends it.
            if (await Db.ListPositionAsync(retired, presented) >= 0)
            {
                await EndAsync(sessionId);
            }

            return null;
        }

        var customerId = Guid.Parse(((string?)await customer)!);
        await Db.KeyExpireAsync(CustomerSessionsKey(customerId), Timeout);
        return new SessionGrant(customerId, sessionId, sessionId + "." + next);
    }

    public Task<bool> IsActiveAsync(string sessionId) => Db.KeyExistsAsync(SessionKey(sessionId));

    public async Task EndAsync(string sessionId)
    {
        var customer = await Db.HashGetAsync(SessionKey(sessionId), CustomerField);
        await Db.KeyDeleteAsync([SessionKey(sessionId), RetiredKey(sessionId)]);
        if (Guid.TryParse((string?)customer, out var customerId))
        {
            await Db.SetRemoveAsync(CustomerSessionsKey(customerId), sessionId);
        }
    }

    public async Task EndAllAsync(Guid customerId)
    {
        var sessionIds = await Db.SetMembersAsync(CustomerSessionsKey(customerId));
        await Db.KeyDeleteAsync([.. sessionIds.SelectMany(id => new[] { SessionKey(id!), RetiredKey(id!) }), CustomerSessionsKey(customerId)]);
    }

    private static RedisKey SessionKey(string sessionId) => "session:" + sessionId;

    private static RedisKey RetiredKey(string sessionId) => "session-retired:" + sessionId;

    private static RedisKey CustomerSessionsKey(Guid customerId) => "customer-sessions:" + customerId.ToString("N");

    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string secret) => Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));

    private static bool TryParse(string? token, [NotNullWhen(true)] out string? sessionId, [NotNullWhen(true)] out string? secret)
    {
        sessionId = secret = null;
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot != 32 || token.Length > MaxRefreshTokenLength || !Guid.TryParseExact(token[..dot], "N", out _))
        {
            return false;
        }

        (sessionId, secret) = (token[..dot], token[(dot + 1)..]);
        return secret.Length > 0;
    }
}
