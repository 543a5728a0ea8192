using System.Text.Json;
using System.Text.Json.Serialization;
using Locations.Apis;
using Microsoft.EntityFrameworkCore;
using Platform.Hosting;

namespace Locations.Data;

/// <summary>
/// The demo stores of the local stack, from <c>demo/stores.json</c> (inventory's demo stock uses the same ids). Each is
/// checked by the same rules as a store an admin creates, and only stores not there yet are added.
/// </summary>
public sealed class DemoStores(LocationsDb db) : IDemoData
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stores = Read();
        var ids = stores.Select(s => s.Id).ToList();
        var existing = await db.Stores.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        db.Stores.AddRange(stores.Where(s => !existing.Contains(s.Id)));
        await db.SaveChangesAsync(cancellationToken);
    }

    public static List<Domain.Store> Read()
    {
        using var stream = typeof(DemoStores).Assembly.GetManifestResourceStream("demo-stores.json")
            ?? throw new InvalidOperationException("demo-stores.json is not embedded in the assembly.");
        var file = JsonSerializer.Deserialize<DemoFile>(stream, Json)!;
        return [.. file.Stores.Select(demo =>
        {
            var request = new StoreRequest(demo.Name, demo.Address, demo.City, demo.Country, demo.Latitude, demo.Longitude, demo.TimeZone,
                file.Schedules.GetValueOrDefault(demo.Schedule));
            if (request.Errors() is { } errors)
            {
                throw new InvalidOperationException($"Demo store {demo.Name} is invalid: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))}");
            }

            return request.ToStore(demo.Id);
        })];
    }

    private sealed record DemoFile(Dictionary<string, List<OpeningIntervalRequest?>> Schedules, List<DemoStore> Stores);

    private sealed record DemoStore(
        Guid Id, string Name, string Address, string City, string Country, double Latitude, double Longitude, string TimeZone, string Schedule);
}
