using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payments.Data;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_keys");
        record.HasKey(r => new { r.CustomerId, r.Key });
        record.Property(r => r.Key).HasMaxLength(255);
        record.Property(r => r.Request).HasMaxLength(200);
        record.HasIndex(r => r.CreatedAt);
    }
}
