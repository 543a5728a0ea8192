using Customers.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Customers.Data;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.HasKey(c => c.Id);
        customer.Property(c => c.Email).HasMaxLength(320);
        customer.Property(c => c.NormalizedEmail).HasMaxLength(320);
        customer.HasIndex(c => c.NormalizedEmail).IsUnique();
        customer.Property(c => c.Name).HasMaxLength(200);
        customer.Property(c => c.Role).HasMaxLength(16);
        customer.Property(c => c.PasswordHash).HasMaxLength(200);
    }
}
