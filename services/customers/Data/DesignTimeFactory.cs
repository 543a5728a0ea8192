using Platform.Postgres;

namespace Customers.Data;

/// <summary>How <c>dotnet ef</c> makes <see cref="CustomersDb"/> when it scaffolds a migration (./dev migration customers &lt;Name&gt;).</summary>
public sealed class DesignTimeFactory : DesignTimeContextFactory<CustomersDb>;
