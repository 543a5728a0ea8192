using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Domain;

namespace Payments.Data;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.HasKey(p => p.Id);
        // One live payment per reservation, whatever keys the client sends: a second would charge twice.
        payment.HasIndex(p => p.ReservationId).IsUnique().HasFilter("status <> 'canceled'");
        payment.HasIndex(p => p.CustomerId);
        payment.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        payment.Property(p => p.Status).HasMaxLength(32);
        payment.Property(p => p.StripePaymentIntentId).HasMaxLength(255);
        payment.Property(p => p.TraceParent).HasMaxLength(55);
        payment.HasIndex(p => p.StripePaymentIntentId).IsUnique();
        payment.HasIndex(p => p.ReconcileAt).HasFilter("reconcile_at IS NOT NULL");
        payment.HasIndex(p => new { p.CustomerId, p.CreatedAt });
        payment.ToTable(t =>
        {
            t.HasCheckConstraint("ck_payments_amount_positive", "amount_cents > 0");
            t.HasCheckConstraint("ck_payments_refunds_within_amount", "refunded_cents BETWEEN 0 AND amount_cents");
        });
    }
}
