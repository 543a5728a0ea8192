using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Customers.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdminBootstrapMarker : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "created_by_bootstrap",
                table: "customers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Before this column only the bootstrap made admins (no route grants the role), so the admins there are its own.
            migrationBuilder.Sql("UPDATE customers SET created_by_bootstrap = true WHERE role = 'admin';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "created_by_bootstrap",
                table: "customers");
        }
    }
}
