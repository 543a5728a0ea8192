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
        var file = DemoFiles.Read<DemoFile>(typeof(DemoStores).Assembly, "demo-stores.json");
        return [.. file.Stores.Select(demo =>
        {
            var request = new StoreRequest(demo.Name, demo.Address, demo.City, demo.Country, demo.Latitude, demo.Longitude, demo.TimeZone,
                file.Schedules.GetValueOrDefault(demo.Schedule));
            if (request.Errors() is { } errors)
            {
                throw DemoFiles.Invalid($"store {demo.Name}", errors);
            }

            return request.ToStore(demo.Id);
        })];
    }

    private sealed record DemoFile(Dictionary<string, List<OpeningIntervalRequest?>> Schedules, List<DemoStore> Stores);

    private sealed record DemoStore(
        Guid Id, string Name, string Address, string City, string Country, double Latitude, double Longitude, string TimeZone, string Schedule);
}
