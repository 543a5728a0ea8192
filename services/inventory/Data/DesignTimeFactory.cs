using Platform.Postgres;

namespace Inventory.Data;

/// <summary>How <c>dotnet ef</c> makes <see cref="InventoryDb"/> when it scaffolds a migration (./dev migration inventory &lt;Name&gt;).</summary>
public sealed class DesignTimeFactory : DesignTimeContextFactory<InventoryDb>;
