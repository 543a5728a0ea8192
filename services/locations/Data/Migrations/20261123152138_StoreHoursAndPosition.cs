using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Locations.Data.Migrations
{
    /// <inheritdoc />
    public partial class StoreHoursAndPosition : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<NpgsqlRange<int>[]>(
                name: "open_minutes_of_week",
                table: "stores",
                type: "int4multirange",
                nullable: false,
                defaultValue: new NpgsqlRange<int>[0]);

            migrationBuilder.AddColumn<string>(
                name: "opening_hours",
                table: "stores",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            // "Open now" in a store's own time zone: the local time of an instant as minutes since Monday 00:00.
            migrationBuilder.Sql("""
                CREATE FUNCTION minute_of_week(local_time timestamp) RETURNS integer
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                    SELECT (extract(isodow FROM local_time)::integer - 1) * 1440
                         + extract(hour FROM local_time)::integer * 60
                         + extract(minute FROM local_time)::integer
                $$;
                """);

            // The fallback search's exact distance: haversine on the sphere PostGIS uses for geography
            // (radius 6371008.7714 m), so both search modes measure alike.
            migrationBuilder.Sql("""
                CREATE FUNCTION great_circle_metres(latitude1 double precision, longitude1 double precision,
                                                    latitude2 double precision, longitude2 double precision)
                RETURNS double precision
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                    SELECT 2 * 6371008.7714 * asin(least(1, sqrt(
                        sin(radians(latitude2 - latitude1) / 2) ^ 2
                        + cos(radians(latitude1)) * cos(radians(latitude2)) * sin(radians(longitude2 - longitude1) / 2) ^ 2)))
                $$;
                """);

            // PostGIS mode's position, derived from latitude and longitude so it can never disagree with them. Created
            // only where PostGIS is installed, so the fallback mode runs on a PostgreSQL without it.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') THEN
                        CREATE EXTENSION IF NOT EXISTS postgis;
                        ALTER TABLE stores ADD COLUMN location geography(Point, 4326)
                            GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography) STORED;
                        CREATE INDEX ix_stores_location ON stores USING gist (location);
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE stores DROP COLUMN IF EXISTS location;");
            migrationBuilder.Sql("DROP FUNCTION great_circle_metres(double precision, double precision, double precision, double precision);");
            migrationBuilder.Sql("DROP FUNCTION minute_of_week(timestamp);");

            migrationBuilder.DropColumn(
                name: "open_minutes_of_week",
                table: "stores");

            migrationBuilder.DropColumn(
                name: "opening_hours",
                table: "stores");
        }
    }
}
