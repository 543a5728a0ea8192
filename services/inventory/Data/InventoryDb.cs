using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;

namespace Inventory.Data;

public sealed class InventoryDb(DbContextOptions<InventoryDb> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    public DbSet<StockLevel> Stock => Set<StockLevel>();

    public DbSet<Reservation> Reservations => Set<Reservation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Trigram indexes let a case-insensitive substring search (ILIKE '%term%') use an index instead of a scan.
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(InventoryDb).Assembly);
        modelBuilder.AddMessagingTables();
    }
}
