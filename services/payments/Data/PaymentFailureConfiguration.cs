using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Domain;

namespace Payments.Data;

internal sealed class PaymentFailureConfiguration : IEntityTypeConfiguration<PaymentFailure>
{
    public void Configure(EntityTypeBuilder<PaymentFailure> failure)
    {
        failure.ToTable("payment_failures");
        failure.HasKey(f => f.Id);
        failure.HasIndex(f => new { f.CustomerId, f.FailedAt });
    }
}
