using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Platform.Redis;

/// <summary>The service's slice of Redis: every key is prefixed with the service's name, so services can share a cluster.</summary>
public sealed class RedisKeyspace(IConnectionMultiplexer redis, string prefix)
{
    public string Prefix { get; } = prefix;

    public IDatabase Database { get; } = redis.GetDatabase().WithKeyPrefix(prefix);
}
