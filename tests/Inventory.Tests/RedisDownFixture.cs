namespace Inventory.Tests;

/// <summary>Inventory with Redis unreachable: nothing listens on port 1.</summary>
public sealed class RedisDownFixture : InventoryFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["REDIS_URL"] = "redis://127.0.0.1:1",
        ["REDIS_TIMEOUT_MS"] = "200",
    };
}
