using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payments.Data;

internal sealed class StripeEventRecordConfiguration : IEntityTypeConfiguration<StripeEventRecord>
{
    public void Configure(EntityTypeBuilder<StripeEventRecord> record)
    {
        record.ToTable("stripe_events");
        record.HasKey(r => r.Id);
        record.Property(r => r.Id).HasMaxLength(255);
        record.Property(r => r.Type).HasMaxLength(100);
    }
}
