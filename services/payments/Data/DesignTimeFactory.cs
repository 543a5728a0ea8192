using Platform.Postgres;

namespace Payments.Data;

/// <summary>How <c>dotnet ef</c> makes <see cref="PaymentsDb"/> when it scaffolds a migration (./dev migration payments &lt;Name&gt;).</summary>
public sealed class DesignTimeFactory : DesignTimeContextFactory<PaymentsDb>;
