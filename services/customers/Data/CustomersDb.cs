using Customers.Domain;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;

namespace Customers.Data;

public sealed class CustomersDb(DbContextOptions<CustomersDb> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<DataExport> DataExports => Set<DataExport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CustomersDb).Assembly).AddMessagingTables();
}
