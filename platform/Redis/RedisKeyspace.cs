using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Platform.Redis;

/// <summary>The service's slice of Redis: every key is prefixed with the service's name, so services can share a cluster.</summary>
public sealed class RedisKeyspace(IConnectionMultiplexer redis, string prefix)
{
    /// <summary>
    /// The state of every task this keyspace's calls return. When StackExchange.Redis gives up on a hung connection it
    /// cancels the calls in flight, and a bare <see cref="TaskCanceledException"/> says nothing of where it came from;
    /// its task's state says it was Redis (<see cref="Errors.DependencyFailures"/>).
    /// </summary>
    internal static readonly object TaskState = new();

    public string Prefix { get; } = prefix;

    public IDatabase Database { get; } = redis.GetDatabase(asyncState: TaskState).WithKeyPrefix(prefix);
}
