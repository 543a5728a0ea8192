using System.ComponentModel.DataAnnotations;
using Inventory.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Api;
using Platform.Postgres;
using Platform.Security;

namespace Inventory.Apis;

public static class StockApi
{
    public static IEndpointRouteBuilder MapStockApi(this IEndpointRouteBuilder endpoints)
    {
        var stock = endpoints.MapGroup("/api/inventory/products/{id:guid}/stock").WithTags("Stock");
        stock.MapGet("/", GetStock).WithName("GetStock").WithSummary("A product's stock at each store location.");
        stock.MapPut("/{locationId:guid}", SetOnHand).RequireAuthorization(Roles.Admin).ProducesProblem(StatusCodes.Status409Conflict).WithName("SetStock")
            .WithSummary("Set how many are on hand at a location (admin); never fewer than are reserved (409).");
        return endpoints;
    }

    private static async Task<Results<Ok<List<StockResponse>>, NotFound>> GetStock(
        Guid id, NpgsqlDataSource database, InventoryDb db, CancellationToken cancellationToken)
    {
        // A hot read (the platform's HotReads). Only a product stocked nowhere needs a second query, to tell it from no
        // product at all.
        var levels = await database.QueryAsync("SELECT location_id, on_hand, reserved FROM stock WHERE product_id = $1 ORDER BY location_id", [id],
            row =>
            {
                var (onHand, reserved) = (row.Get<int>("on_hand"), row.Get<int>("reserved"));
                return new StockResponse(row.Get<Guid>("location_id"), onHand, reserved, onHand - reserved);
            },
            cancellationToken);
        return levels.Count > 0 || await db.Products.AnyAsync(p => p.Id == id, cancellationToken)
            ? TypedResults.Ok(levels)
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<StockResponse>, ValidationProblem, NotFound, ProblemHttpResult>> SetOnHand(
        Guid id, Guid locationId, OnHandRequest request, InventoryDb db, CancellationToken cancellationToken)
    {
        if (request.OnHand is not (>= 0 and <= OnHandRequest.Max))
        {
            return ValidationErrors.Problem("onHand", $"onHand is required: 0 to {OnHandRequest.Max}.");
        }

        if (!await db.Products.AnyAsync(p => p.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        // One statement, so a reservation landing at the same moment is either counted in `reserved` here or waits.
        var onHand = request.OnHand.Value;
        var set = await db.Database.SqlQuery<StockResponse>($"""
            INSERT INTO stock (product_id, location_id, on_hand, reserved) VALUES ({id}, {locationId}, {onHand}, 0)
            ON CONFLICT (product_id, location_id) DO UPDATE SET on_hand = EXCLUDED.on_hand WHERE stock.reserved <= EXCLUDED.on_hand
            RETURNING location_id, on_hand, reserved, on_hand - reserved AS available
            """).ToListAsync(cancellationToken);
        if (set.Count == 1)
        {
            return TypedResults.Ok(set[0]);
        }

        var reserved = await db.Stock.Where(s => s.ProductId == id && s.LocationId == locationId).Select(s => s.Reserved).SingleAsync(cancellationToken);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict, title: "Below what is reserved",
            detail: $"{reserved} are reserved at this location; on hand may not be set below that.");
    }
}

public sealed record OnHandRequest([property: Range(0, OnHandRequest.Max)] int? OnHand)
{
    public const int Max = 1_000_000;
}

public sealed record StockResponse(Guid LocationId, int OnHand, int Reserved, int Available);
