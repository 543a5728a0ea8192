using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Inventory.Data;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> product)
    {
        product.HasKey(p => p.Id);
        product.Property(p => p.Sku).HasMaxLength(64);
        product.HasIndex(p => p.Sku).IsUnique();
        product.Property(p => p.Name).HasMaxLength(200);
        product.Property(p => p.Description).HasMaxLength(4000);
        product.HasIndex(p => p.Name).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_products_name_trigrams");
        product.HasIndex(p => p.Description).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_products_description_trigrams");
        product.Property(p => p.Category).HasMaxLength(64);
        product.HasIndex(p => p.Category);
        product.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        product.ToTable(t => t.HasCheckConstraint("ck_products_price_not_negative", "price_cents >= 0"));
    }
}
