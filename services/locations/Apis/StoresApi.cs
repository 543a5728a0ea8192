using Locations.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;

namespace Locations.Apis;

public static class StoresApi
{
    public static IEndpointRouteBuilder MapStoresApi(this IEndpointRouteBuilder endpoints)
    {
        var stores = endpoints.MapGroup("/api/locations").WithTags("Stores");
        stores.MapGet("/", ListStores).WithName("ListStores").WithSummary("A page of stores, optionally in one city.");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<StoreResponse>>, ValidationProblem>> ListStores(
        [AsParameters] PageRequest paging, string? city, LocationsDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await db.Stores.AsNoTracking()
            .Where(s => city == null || s.City == city)
            .OrderBy(s => s.City).ThenBy(s => s.Name).ThenBy(s => s.Id)
            .Select(s => new StoreResponse(s.Id, s.Name, s.Address, s.City, s.Country, s.Latitude, s.Longitude, s.TimeZone))
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page);
    }
}

public sealed record StoreResponse(Guid Id, string Name, string Address, string City, string Country, double Latitude, double Longitude, string TimeZone);
