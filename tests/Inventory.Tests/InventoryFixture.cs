using TestSupport;

namespace Inventory.Tests;

public class InventoryFixture() : ServiceFixture<Program>("inventory");
