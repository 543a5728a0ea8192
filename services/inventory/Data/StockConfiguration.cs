using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Inventory.Data;

internal sealed class StockConfiguration : IEntityTypeConfiguration<StockLevel>
{
    public void Configure(EntityTypeBuilder<StockLevel> stock)
    {
        stock.ToTable("stock", t =>
        {
            // The last word on overselling: whatever the code does, the database refuses a negative availability.
            t.HasCheckConstraint("ck_stock_reserved_not_negative", "reserved >= 0");
            t.HasCheckConstraint("ck_stock_reserved_within_on_hand", "reserved <= on_hand");
        });
        stock.HasKey(s => new { s.ProductId, s.LocationId });
        stock.HasOne<Product>().WithMany().HasForeignKey(s => s.ProductId).OnDelete(DeleteBehavior.Cascade);
        stock.Ignore(s => s.Available);
    }
}
