using TestSupport;

namespace Inventory.Tests;

/// <summary>Inventory consuming a queue of its own and publishing to a payments queue of its own.</summary>
public sealed class PaymentEventsFixture : ReservationsFixture
{
    private readonly string _name = $"inventory-test-{Guid.NewGuid():N}";

    public string InventoryQueueUrl { get; private set; } = "";

    public string InventoryDeadLetterUrl { get; private set; } = "";

    public string PaymentsQueueUrl { get; private set; } = "";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["INVENTORY_QUEUE"] = _name,
        ["PAYMENTS_QUEUE"] = $"{_name}-payments",
    };

    protected override async Task BeforeStartAsync()
    {
        (InventoryQueueUrl, InventoryDeadLetterUrl) = await TestQueues.CreateAsync(_name);
        (PaymentsQueueUrl, _) = await TestQueues.CreateAsync($"{_name}-payments");
    }
}
