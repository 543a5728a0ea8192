using Locations.Domain;
using Microsoft.EntityFrameworkCore;

namespace Locations.Data;

public sealed class LocationsDb(DbContextOptions<LocationsDb> options) : DbContext(options)
{
    public DbSet<Store> Stores => Set<Store>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LocationsDb).Assembly);
}
