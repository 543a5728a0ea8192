using System.Text.Json;
using Locations.Apis;
using Locations.Domain;
using Npgsql;

namespace Locations.Data;

/// <summary>
/// The hot reads of stores, by id, straight through Npgsql into the response: on a store-by-id read, EF Core's query
/// pipeline and its materialising of the entity (the opening hours' JSON and ranges) took about 40 % of the throughput
/// (bench/analysis.md). Writes and everything else stay with EF Core.
/// </summary>
public sealed class StoreReads(NpgsqlDataSource database)
{
    private const string Columns = "id, name, address, city, country, latitude, longitude, time_zone, opening_hours::text";

    public async Task<StoreResponse?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await FindManyAsync([id], cancellationToken);
        return found.GetValueOrDefault(id);
    }

    public async Task<Dictionary<Guid, StoreResponse>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var stores = new Dictionary<Guid, StoreResponse>(ids.Count);
        if (ids.Count == 0)
        {
            return stores;
        }

        await using var command = database.CreateCommand($"SELECT {Columns} FROM stores WHERE id = ANY($1)");
        command.Parameters.AddWithValue(ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            stores[id] = new StoreResponse(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetDouble(5), reader.GetDouble(6), reader.GetString(7), OpeningHours(reader.GetString(8)));
        }

        return stores;
    }

    // The column as EF Core writes the entity's complex collection: [{"Day": 1, "Opens": "09:00:00.0000000", ...}].
    private static List<OpeningIntervalResponse> OpeningHours(string json) =>
        [.. JsonSerializer.Deserialize<List<OpeningInterval>>(json)!.Select(OpeningIntervalResponse.From)];
}
