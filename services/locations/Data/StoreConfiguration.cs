using Locations.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Locations.Data;

internal sealed class StoreConfiguration : IEntityTypeConfiguration<Store>
{
    public void Configure(EntityTypeBuilder<Store> store)
    {
        store.HasKey(s => s.Id);
        store.Property(s => s.Name).HasMaxLength(200);
        store.Property(s => s.Address).HasMaxLength(400);
        store.Property(s => s.City).HasMaxLength(100);
        store.HasIndex(s => s.City);
        store.Property(s => s.Country).HasMaxLength(2).IsFixedLength();
        store.Property(s => s.TimeZone).HasMaxLength(64);
        store.ComplexCollection(s => s.OpeningHours, hours => hours.ToJson());
        store.Property(s => s.OpenMinutesOfWeek).HasColumnType("int4multirange");
        // The fallback search's bounding box; PostGIS mode has its own GiST index on the geography column
        // (created by the migration, outside the model, because it exists only where PostGIS does).
        store.HasIndex(s => new { s.Latitude, s.Longitude });
        store.ToTable(t =>
        {
            t.HasCheckConstraint("ck_stores_latitude", "latitude BETWEEN -90 AND 90");
            t.HasCheckConstraint("ck_stores_longitude", "longitude BETWEEN -180 AND 180");
        });
    }
}
