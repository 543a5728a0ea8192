using Locations.Domain;

namespace Locations.Tests;

public sealed class GeometryAndHoursTests
{
    [Theory]
    [InlineData(DayOfWeek.Monday, "09:00", "18:00", new[] { 540, 1080 })]
    [InlineData(DayOfWeek.Friday, "22:00", "02:00", new[] { 7080, 7320 })]
    [InlineData(DayOfWeek.Sunday, "22:00", "02:00", new[] { 9960, 10080, 0, 120 })]
    [InlineData(DayOfWeek.Tuesday, "10:00", "10:00", new[] { 2040, 3480 })]
    [InlineData(DayOfWeek.Sunday, "00:00", "00:00", new[] { 8640, 10080 })]
    public void An_interval_covers_minutes_of_the_week_from_monday_and_wraps_past_sunday_midnight(DayOfWeek day, string opens, string closes, int[] spans)
    {
        var interval = new OpeningInterval(day, TimeOnly.Parse(opens, System.Globalization.CultureInfo.InvariantCulture),
            TimeOnly.Parse(closes, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(spans, interval.MinutesOfWeek().SelectMany(span => new[] { span.Start, span.End }));
    }

    [Fact]
    public void A_box_across_the_antimeridian_has_a_longitude_range_on_each_side()
    {
        var box = SearchBox.Around(-16.5, 179.99, 50_000);

        Assert.Equal(180, box.Longitudes.East);
        Assert.InRange(box.Longitudes.West, 179.5, 179.6);
        Assert.Equal(-180, box.MoreLongitudes.West);
        Assert.InRange(box.MoreLongitudes.East, -179.6, -179.5);
    }

    [Fact]
    public void A_box_reaching_a_pole_spans_every_longitude()
    {
        var box = SearchBox.Around(89.9, -90, 30_000);

        Assert.Equal(90, box.North);
        Assert.Equal((-180.0, 180.0), box.Longitudes);
        Assert.Equal((-180.0, 180.0), box.MoreLongitudes);
    }

    [Fact]
    public void A_box_elsewhere_is_one_range_wider_in_longitude_than_in_latitude()
    {
        var box = SearchBox.Around(53.3438, -6.2546, 10_000);

        Assert.Equal(box.Longitudes, box.MoreLongitudes);
        Assert.Equal(0.0899, (box.North - box.South) / 2, 0.0001);
        Assert.Equal(0.1506, (box.Longitudes.East - box.Longitudes.West) / 2, 0.0001);
    }
}
