namespace Locations.Domain;

/// <summary>
/// The latitude/longitude box around a search circle, which the fallback search filters on with ordinary indexes
/// before it measures exact distances. Longitudes are two ranges, so a box across the antimeridian is
/// [west, 180] and [-180, east]; they are the same range when it does not cross. A box reaching a pole spans every longitude.
/// </summary>
public sealed record SearchBox(double South, double North, (double West, double East) Longitudes, (double West, double East) MoreLongitudes)
{
    /// <summary>The radius PostGIS measures geography distances on a sphere with, in metres.</summary>
    public const double EarthRadiusMetres = 6_371_008.7714;

    // About a centimetre, so a store exactly on the circle is not lost to rounding at the box's edge.
    private const double MarginDegrees = 1e-7;

    public static SearchBox Around(double latitude, double longitude, double radiusMetres)
    {
        var radiusDegrees = Degrees(radiusMetres / EarthRadiusMetres) + MarginDegrees;
        var south = latitude - radiusDegrees;
        var north = latitude + radiusDegrees;
        if (south <= -90 || north >= 90)
        {
            return new SearchBox(Math.Max(south, -90), Math.Min(north, 90), (-180, 180), (-180, 180));
        }

        // The widest the circle gets in longitude (at a latitude nearer the pole than its centre's).
        var halfWidth = Degrees(Math.Asin(Math.Sin(radiusMetres / EarthRadiusMetres) / Math.Cos(Radians(latitude)))) + MarginDegrees;
        var (west, east) = (longitude - halfWidth, longitude + halfWidth);
        return (west, east) switch
        {
            _ when west < -180 => new SearchBox(south, north, (west + 360, 180), (-180, east)),
            _ when east > 180 => new SearchBox(south, north, (west, 180), (-180, east - 360)),
            _ => new SearchBox(south, north, (west, east), (west, east)),
        };
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
