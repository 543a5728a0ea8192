using Platform.Postgres;

namespace Locations.Data;

/// <summary>How <c>dotnet ef</c> makes <see cref="LocationsDb"/> when it scaffolds a migration (./dev migration locations &lt;Name&gt;).</summary>
public sealed class DesignTimeFactory : DesignTimeContextFactory<LocationsDb>;
