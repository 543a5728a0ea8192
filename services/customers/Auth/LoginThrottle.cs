using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.Redis;
using StackExchange.Redis;

namespace Customers.Auth;

/// <summary>
/// Brute-force protection: login attempts counted per account (by a hash of the email, so Redis holds no address)
/// and per client address, in a window of <c>LOGIN_LOCKOUT_SECONDS</c>. Each attempt is counted before the password
/// is checked, so parallel guesses cannot slip past the limit; a successful login gives its attempt back.
/// </summary>
public sealed class LoginThrottle(RedisKeyspace redis, IOptions<CustomersOptions> options)
{
    private IDatabase Db => redis.Database;

    /// <summary>Counts an attempt; returns how long the caller must wait when the account or the client is locked out.</summary>
    public async Task<TimeSpan?> CountAttemptAsync(string normalizedEmail, string clientAddress)
    {
        var limits = options.Value;
        var account = AccountKey(normalizedEmail);
        var client = ClientKey(clientAddress);
        var transaction = Db.CreateTransaction();
        var accountAttempts = transaction.StringIncrementAsync(account);
        _ = transaction.KeyExpireAsync(account, limits.Lockout, ExpireWhen.HasNoExpiry);
        var clientAttempts = transaction.StringIncrementAsync(client);
        _ = transaction.KeyExpireAsync(client, limits.Lockout, ExpireWhen.HasNoExpiry);
        var accountTtl = transaction.KeyTimeToLiveAsync(account);
        var clientTtl = transaction.KeyTimeToLiveAsync(client);
        await transaction.ExecuteAsync();

        TimeSpan? wait = null;
        if (await accountAttempts > limits.MaxFailuresPerAccount)
        {
            wait = await accountTtl ?? limits.Lockout;
        }

        if (await clientAttempts > limits.MaxFailuresPerClient)
        {
            var clientWait = await clientTtl ?? limits.Lockout;
            wait = wait is { } accountWait && accountWait > clientWait ? accountWait : clientWait;
        }

        return wait;
    }

    /// <summary>The attempt succeeded: the account starts afresh and the client gets its attempt back.</summary>
    public async Task SucceededAsync(string normalizedEmail, string clientAddress)
    {
        await Db.KeyDeleteAsync(AccountKey(normalizedEmail));
        // Only while the window lasts: a decrement of an expired key would start a count that never expires.
        var client = ClientKey(clientAddress);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(client));
        _ = transaction.StringDecrementAsync(client);
        await transaction.ExecuteAsync();
    }

    private static RedisKey AccountKey(string normalizedEmail) =>
        "login-attempts:account:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));

    private static RedisKey ClientKey(string clientAddress) => "login-attempts:client:" + clientAddress;
}
