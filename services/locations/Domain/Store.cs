using NpgsqlTypes;

namespace Locations.Domain;

/// <summary>A store of the chain, with its position and the IANA time zone its opening hours are in.</summary>
public sealed class Store
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public required string Address { get; set; }

    public required string City { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string Country { get; set; }

    public double Latitude { get; set; }

    public double Longitude { get; set; }

    public required string TimeZone { get; set; }

    public List<OpeningInterval> OpeningHours { get; private set; } = [];

    /// <summary>
    /// The same hours as ranges of minutes since Monday 00:00, kept by PostgreSQL as one <c>int4multirange</c>, so a
    /// search asks "is this store open now" with a single containment test in the store's own time zone.
    /// </summary>
    public NpgsqlRange<int>[] OpenMinutesOfWeek { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public void SetOpeningHours(IEnumerable<OpeningInterval> intervals)
    {
        OpeningHours = [.. intervals.OrderBy(i => i.OpensAtMinuteOfWeek)];
        OpenMinutesOfWeek = [.. OpeningHours
            .SelectMany(interval => interval.MinutesOfWeek())
            .OrderBy(span => span.Start)
            .Select(span => new NpgsqlRange<int>(span.Start, true, span.End, false))];
    }
}
