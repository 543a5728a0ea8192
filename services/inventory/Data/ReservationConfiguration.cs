using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Inventory.Data;

internal sealed class ReservationConfiguration : IEntityTypeConfiguration<Reservation>
{
    public void Configure(EntityTypeBuilder<Reservation> reservation)
    {
        reservation.HasKey(r => r.Id);
        reservation.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        reservation.Property(r => r.Currency).HasMaxLength(3).IsFixedLength();
        // Items are read and written with their reservation only; a product deleted later leaves its history intact.
        reservation.ComplexCollection(r => r.Items, items => items.ToJson());
        reservation.HasIndex(r => r.ExpiresAt).HasFilter("status = 'Pending'");
        reservation.HasIndex(r => r.CustomerId);
    }
}
