using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Platform.Postgres;

namespace Migrations;

/// <summary>
/// How `dotnet ef` makes each service's DbContext: with the platform's conventions, as the service does, and no database
/// (a migration is scaffolded from the model and the last snapshot).
/// </summary>
public abstract class DesignTimeContext<TContext> : IDesignTimeDbContextFactory<TContext> where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        options.UseNpgsql("Host=design-time").UsePlatformConventions();
        return (TContext)Activator.CreateInstance(typeof(TContext), options.Options)!;
    }
}

public sealed class InventoryContext : DesignTimeContext<Inventory.Data.InventoryDb>;

public sealed class CustomersContext : DesignTimeContext<Customers.Data.CustomersDb>;

public sealed class PaymentsContext : DesignTimeContext<Payments.Data.PaymentsDb>;

public sealed class LocationsContext : DesignTimeContext<Locations.Data.LocationsDb>;
