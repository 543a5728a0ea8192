using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Domain;

namespace Payments.Data;

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> refund)
    {
        refund.HasKey(r => r.Id);
        // One refund per key and payment, whoever asks again: an admin's retry or a redelivered event.
        refund.HasIndex(r => new { r.PaymentId, r.Key }).IsUnique();
        refund.HasIndex(r => r.ReconcileAt).HasFilter("reconcile_at IS NOT NULL");
        refund.Property(r => r.Key).HasMaxLength(255);
        refund.Property(r => r.Status).HasMaxLength(32);
        refund.Property(r => r.StripeRefundId).HasMaxLength(255);
        refund.Property(r => r.Reason).HasMaxLength(500);
        refund.ToTable(t => t.HasCheckConstraint("ck_refunds_amount_positive", "amount_cents > 0"));
    }
}
