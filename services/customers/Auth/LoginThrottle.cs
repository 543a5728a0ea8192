using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.Redis;
using StackExchange.Redis;

namespace Customers.Auth;

/// <summary>Why a login attempt is refused: how long to wait, and the variable that sets the limit reached.</summary>
public sealed record LoginRefusal(TimeSpan Wait, string Limit);

/// <summary>
/// Brute-force protection that slows a guesser without locking the owner out. Attempts are counted in Redis, in a
/// window of <c>LOGIN_LOCKOUT_SECONDS</c>, per account and client address together, per client address, and per
/// account (accounts by a hash of the email, so Redis holds no address):
/// <list type="bullet">
/// <item>an address past <c>LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP</c> failures for one account is refused for that
/// account until the window ends; the owner, at another address, is not;</item>
/// <item>an address past <c>LOGIN_MAX_FAILURES_PER_IP</c> failures is refused whatever account it tries;</item>
/// <item>an account past <c>LOGIN_MAX_FAILURES_PER_ACCOUNT</c> failures (guesses spread over many addresses) gives
/// every address a single attempt per window: the spread-out guesser is slowed, the owner, who needs one attempt with
/// the right password, still logs in.</item>
/// </list>
/// Each attempt is counted before the password is checked, so parallel guesses cannot slip past a limit; a successful
/// login gives its attempt back and starts its address's count for the account afresh.
/// </summary>
public sealed class LoginThrottle(RedisKeyspace redis, IOptions<CustomersOptions> options)
{
    public const string PairLimit = "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP";
    public const string ClientLimit = "LOGIN_MAX_FAILURES_PER_IP";
    public const string AccountLimit = "LOGIN_MAX_FAILURES_PER_ACCOUNT";

    private IDatabase Db => redis.Database;

    /// <summary>Counts an attempt; returns why and how long the caller must wait when it is refused.</summary>
    public async Task<LoginRefusal?> CountAttemptAsync(string normalizedEmail, string clientAddress)
    {
        var limits = options.Value;
        var account = AccountKey(normalizedEmail);
        var client = ClientKey(clientAddress);
        var pair = PairKey(normalizedEmail, clientAddress);
        var transaction = Db.CreateTransaction();
        var pairAttempts = Count(transaction, pair, limits.Lockout);
        var clientAttempts = Count(transaction, client, limits.Lockout);
        var accountAttempts = Count(transaction, account, limits.Lockout);
        var pairTtl = transaction.KeyTimeToLiveAsync(pair);
        var clientTtl = transaction.KeyTimeToLiveAsync(client);
        await transaction.ExecuteAsync();

        if (await clientAttempts > limits.MaxFailuresPerClient)
        {
            return new LoginRefusal(await clientTtl ?? limits.Lockout, ClientLimit);
        }

        if (await pairAttempts > limits.MaxFailuresPerAccountAndClient)
        {
            return new LoginRefusal(await pairTtl ?? limits.Lockout, PairLimit);
        }

        // Under a guesser spread over many addresses: one attempt per address and window.
        if (await accountAttempts > limits.MaxFailuresPerAccount && await pairAttempts > 1)
        {
            return new LoginRefusal(await pairTtl ?? limits.Lockout, AccountLimit);
        }

        return null;
    }

    /// <summary>The attempt succeeded: its address starts afresh for the account, and the counts get it back.</summary>
    public async Task SucceededAsync(string normalizedEmail, string clientAddress)
    {
        // Pipelined: one round trip's wait for the three.
        await Task.WhenAll(
            Db.KeyDeleteAsync(PairKey(normalizedEmail, clientAddress)),
            GiveBackAsync(ClientKey(clientAddress)),
            GiveBackAsync(AccountKey(normalizedEmail)));
    }

    private static Task<long> Count(ITransaction transaction, RedisKey key, TimeSpan window)
    {
        var count = transaction.StringIncrementAsync(key);
        _ = transaction.KeyExpireAsync(key, window, ExpireWhen.HasNoExpiry);
        return count;
    }

    // Only while the window lasts: a decrement of an expired key would start a count that never expires.
    private async Task GiveBackAsync(RedisKey key)
    {
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(key));
        _ = transaction.StringDecrementAsync(key);
        await transaction.ExecuteAsync();
    }

    private static string EmailHash(string normalizedEmail) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));

    private static RedisKey AccountKey(string normalizedEmail) => "login-attempts:account:" + EmailHash(normalizedEmail);

    private static RedisKey ClientKey(string clientAddress) => "login-attempts:client:" + clientAddress;

    private static RedisKey PairKey(string normalizedEmail, string clientAddress) =>
        "login-attempts:pair:" + EmailHash(normalizedEmail) + ":" + clientAddress;
}
