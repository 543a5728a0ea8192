using System.ComponentModel.DataAnnotations;
using Locations.Data;
using Locations.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Api;

namespace Locations.Apis;

public static class NearbyApi
{
    private const int DefaultLimit = 10;
    private const int MaxLimit = 50;

    public static IEndpointRouteBuilder MapNearbyApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/locations").WithTags("Stores")
            .MapGet("/nearby", FindNearby).WithName("FindNearbyStores")
            .WithSummary("Stores within radiusKm (default and most: MAX_SEARCH_RADIUS) of a point, nearest first; "
                + "openNow keeps those open now in their own time zone.");
        return endpoints;
    }

    private static async Task<Results<Ok<List<NearbyStoreResponse>>, ValidationProblem>> FindNearby(
        [Range(-StoreRules.MaxLatitude, StoreRules.MaxLatitude)] double? lat, [Range(-StoreRules.MaxLongitude, StoreRules.MaxLongitude)] double? lon,
        double? radiusKm, [Range(1, MaxLimit)] int? limit, bool? openNow,
        INearbySearch search, StoreReads storeReads, IOptions<LocationsOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var maxRadiusKm = options.Value.MaxSearchRadiusKm;
        var errors = new ValidationErrors();
        if (lat is not (>= -StoreRules.MaxLatitude and <= StoreRules.MaxLatitude))
        {
            errors.Add("lat", $"lat is required, in degrees from -{StoreRules.MaxLatitude} to {StoreRules.MaxLatitude}.");
        }

        if (lon is not (>= -StoreRules.MaxLongitude and <= StoreRules.MaxLongitude))
        {
            errors.Add("lon", $"lon is required, in degrees from -{StoreRules.MaxLongitude} to {StoreRules.MaxLongitude}.");
        }

        if (radiusKm is { } radius && !(radius > 0 && radius <= maxRadiusKm))
        {
            errors.Add("radiusKm", $"radiusKm must be more than 0 and at most {maxRadiusKm}.");
        }

        if (limit is not null and not (>= 1 and <= MaxLimit))
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var query = new NearbyQuery(
            lat!.Value, lon!.Value, (radiusKm ?? maxRadiusKm) * 1000, limit ?? DefaultLimit, openNow == true ? time.GetUtcNow().ToUniversalTime() : null);
        var found = await search.FindAsync(query, cancellationToken);
        var ids = found.Select(f => f.Id).ToList();
        var stores = await storeReads.FindManyAsync(ids, cancellationToken);
        return TypedResults.Ok(found
            .Where(f => stores.ContainsKey(f.Id)) // deleted between the two reads
            .Select(f => NearbyStoreResponse.From(stores[f.Id], f.Metres))
            .ToList());
    }
}
