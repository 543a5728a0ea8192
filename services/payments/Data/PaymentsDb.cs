using Microsoft.EntityFrameworkCore;
using Payments.Domain;
using Platform.Messaging;

namespace Payments.Data;

public sealed class PaymentsDb(DbContextOptions<PaymentsDb> options) : DbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    public DbSet<StripeEventRecord> StripeEvents => Set<StripeEventRecord>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<PaymentFailure> PaymentFailures => Set<PaymentFailure>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PaymentsDb).Assembly);
        modelBuilder.AddMessagingTables();
    }
}
