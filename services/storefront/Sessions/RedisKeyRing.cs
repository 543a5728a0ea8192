using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Platform.Redis;

namespace Storefront.Sessions;

/// <summary>
/// The data-protection keys in Redis under the storefront's prefix, reached at their first use rather than when the
/// pipeline is built: a start with a bad <c>REDIS_URL</c> then ends in the platform's one message naming every bad
/// variable, not in an exception from the antiforgery middleware.
/// </summary>
internal sealed class RedisKeyRing(IServiceProvider services) : IXmlRepository
{
    private readonly Lazy<RedisXmlRepository> _keys = new(() =>
    {
        var keyspace = services.GetRequiredService<RedisKeyspace>();
        return new RedisXmlRepository(() => keyspace.Database, "data-protection-keys");
    });

    public IReadOnlyCollection<XElement> GetAllElements() => _keys.Value.GetAllElements();

    public void StoreElement(XElement element, string friendlyName) => _keys.Value.StoreElement(element, friendlyName);
}
