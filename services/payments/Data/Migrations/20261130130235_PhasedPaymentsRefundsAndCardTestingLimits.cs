using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Payments.Data.Migrations
{
    /// <inheritdoc />
    public partial class PhasedPaymentsRefundsAndCardTestingLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reconcile_at",
                table: "payments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "payment_failures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_failures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "refunds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    amount_cents = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    stripe_refund_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reconcile_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refunds", x => x.id);
                    table.CheckConstraint("ck_refunds_amount_positive", "amount_cents > 0");
                });

            migrationBuilder.CreateIndex(
                name: "ix_payments_customer_id_created_at",
                table: "payments",
                columns: new[] { "customer_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_reconcile_at",
                table: "payments",
                column: "reconcile_at",
                filter: "reconcile_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_payment_failures_customer_id_failed_at",
                table: "payment_failures",
                columns: new[] { "customer_id", "failed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_refunds_payment_id_key",
                table: "refunds",
                columns: new[] { "payment_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refunds_reconcile_at",
                table: "refunds",
                column: "reconcile_at",
                filter: "reconcile_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payment_failures");

            migrationBuilder.DropTable(
                name: "refunds");

            migrationBuilder.DropIndex(
                name: "ix_payments_customer_id_created_at",
                table: "payments");

            migrationBuilder.DropIndex(
                name: "ix_payments_reconcile_at",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "reconcile_at",
                table: "payments");
        }
    }
}
