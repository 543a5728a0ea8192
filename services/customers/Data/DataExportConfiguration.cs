using Customers.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Customers.Data;

internal sealed class DataExportConfiguration : IEntityTypeConfiguration<DataExport>
{
    public void Configure(EntityTypeBuilder<DataExport> export)
    {
        export.HasKey(e => e.Id);
        // Erasing a customer erases their exports with them.
        export.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
        export.Property(e => e.Status).HasMaxLength(16)
            .HasConversion(status => status.ToString().ToLowerInvariant(), value => Enum.Parse<DataExportStatus>(value, true));
        export.Property(e => e.ObjectKey).HasMaxLength(200);
        // The worker's queue: only pending rows are in this index.
        export.HasIndex(e => e.RequestedAt).HasFilter("status = 'pending'").HasDatabaseName("ix_data_exports_pending");
        // One pending export per customer, however many requests arrive at once.
        export.HasIndex(e => e.CustomerId, "ByCustomer").HasDatabaseName("ix_data_exports_customer_id");
        export.HasIndex(e => e.CustomerId, "OnePendingPerCustomer").IsUnique().HasFilter("status = 'pending'")
            .HasDatabaseName("ux_data_exports_one_pending_per_customer");
    }
}
