using System.Text.Json;
using Locations.Apis;
using Locations.Domain;
using Npgsql;
using Platform.Postgres;

namespace Locations.Data;

/// <summary>
/// The hot reads of stores, by id, straight into the response (the platform's HotReads): on a store-by-id read, EF
/// Core's query pipeline and its materialising of the entity (the opening hours' JSON and ranges) took about 40 % of
/// the throughput (bench/analysis.md). Writes and everything else stay with EF Core.
/// </summary>
public sealed class StoreReads(NpgsqlDataSource database)
{
    private const string ByIds = """
        SELECT id, name, address, city, country, latitude, longitude, time_zone, opening_hours::text AS opening_hours
        FROM stores WHERE id = ANY($1)
        """;

    public async Task<StoreResponse?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await FindManyAsync([id], cancellationToken);
        return found.GetValueOrDefault(id);
    }

    public async Task<Dictionary<Guid, StoreResponse>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var stores = await database.QueryAsync(ByIds, [ids.ToArray()], row => new StoreResponse(
            row.Get<Guid>("id"), row.Get<string>("name"), row.Get<string>("address"), row.Get<string>("city"), row.Get<string>("country"),
            row.Get<double>("latitude"), row.Get<double>("longitude"), row.Get<string>("time_zone"), OpeningHours(row.Get<string>("opening_hours"))),
            cancellationToken);
        return stores.ToDictionary(store => store.Id);
    }

    // The column as EF Core writes the entity's complex collection: [{"Day": 1, "Opens": "09:00:00.0000000", ...}].
    private static List<OpeningIntervalResponse> OpeningHours(string json) =>
        [.. JsonSerializer.Deserialize<List<OpeningInterval>>(json)!.Select(OpeningIntervalResponse.From)];
}
