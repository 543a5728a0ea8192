using System.ComponentModel.DataAnnotations;
using Locations.Data;
using Locations.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;
using Platform.Security;

namespace Locations.Apis;

public static class StoresApi
{
    public static IEndpointRouteBuilder MapStoresApi(this IEndpointRouteBuilder endpoints)
    {
        var stores = endpoints.MapGroup("/api/locations").WithTags("Stores");
        stores.MapGet("/", ListStores).WithName("ListStores").WithSummary("A page of stores, optionally in one city.");
        stores.MapGet("/cities", ListCities).WithName("ListCities")
            .WithSummary("A page of the cities that have a store, by name, with how many stores each has.");
        stores.MapGet("/{id:guid}", GetStore).WithName("GetStore").WithSummary("One store.");
        stores.MapPost("/", CreateStore).RequireAuthorization(Roles.Admin)
            .WithName("CreateStore").WithSummary("Open a store (admin).");
        stores.MapPut("/{id:guid}", ReplaceStore).RequireAuthorization(Roles.Admin)
            .WithName("ReplaceStore").WithSummary("Replace a store's details and opening hours (admin).");
        stores.MapDelete("/{id:guid}", DeleteStore).RequireAuthorization(Roles.Admin)
            .WithName("DeleteStore").WithSummary("Close a store for good (admin).");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<StoreResponse>>, ValidationProblem>> ListStores(
        [AsParameters] PageRequest paging, [MaxLength(StoreRules.MaxCityLength)] string? city, LocationsDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        // No city is longer, so a longer one is a mistake, not an empty page.
        if (city is { Length: > StoreRules.MaxCityLength })
        {
            return ValidationErrors.Problem("city", $"city is at most {StoreRules.MaxCityLength} characters.");
        }

        var page = await db.Stores.AsNoTracking()
            .Where(s => city == null || s.City == city)
            .OrderBy(s => s.City).ThenBy(s => s.Name).ThenBy(s => s.Id)
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page.Select(StoreResponse.From));
    }

    // A chain's stores are many and its cities far fewer: a city picker reads these, then the stores of the one chosen.
    private static async Task<Results<Ok<Paged<CityResponse>>, ValidationProblem>> ListCities(
        [AsParameters] PageRequest paging, LocationsDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        var page = await db.Stores.AsNoTracking()
            .GroupBy(s => s.City)
            .OrderBy(city => city.Key)
            .Select(city => new CityResponse(city.Key, city.Count()))
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<StoreResponse>, NotFound>> GetStore(Guid id, StoreReads stores, CancellationToken cancellationToken) =>
        await stores.FindAsync(id, cancellationToken) is { } store
            ? TypedResults.Ok(store)
            : TypedResults.NotFound();

    private static async Task<Results<Created<StoreResponse>, ValidationProblem>> CreateStore(
        StoreRequest request, LocationsDb db, CancellationToken cancellationToken)
    {
        if (request.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        var store = request.ToStore();
        db.Stores.Add(store);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/locations/{store.Id}", StoreResponse.From(store));
    }

    private static async Task<Results<Ok<StoreResponse>, ValidationProblem, NotFound>> ReplaceStore(
        Guid id, StoreRequest request, LocationsDb db, CancellationToken cancellationToken)
    {
        if (request.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        if (await db.Stores.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } store)
        {
            return TypedResults.NotFound();
        }

        request.ApplyTo(store);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(StoreResponse.From(store));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteStore(Guid id, LocationsDb db, CancellationToken cancellationToken) =>
        await db.Stores.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) == 1
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
