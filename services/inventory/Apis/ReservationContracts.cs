using System.ComponentModel.DataAnnotations;
using Inventory.Data;
using Inventory.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api;

namespace Inventory.Apis;

/// <summary><c>{ locationId, items: [{ productId, quantity }] }</c>: all of it, at one location, or nothing.</summary>
public sealed record ReservationRequest(Guid? LocationId, [property: Length(1, ReservationRequest.MaxItems)] List<ReservationItemRequest?>? Items)
{
    public const int MaxItems = 50;
    public const int MaxQuantity = 1000;

    public ValidationErrors? Errors()
    {
        var errors = new ValidationErrors();
        if (LocationId is null || LocationId == Guid.Empty)
        {
            errors.Add("locationId", "locationId is required: the store the items are collected from.");
        }

        if (Items is not { Count: > 0 and <= MaxItems })
        {
            errors.Add("items", $"items is required: 1 to {MaxItems} products with a quantity each.");
            return errors;
        }

        for (var i = 0; i < Items.Count; i++)
        {
            if (Items[i] is not { ProductId: { } id, Quantity: >= 1 and <= MaxQuantity } || id == Guid.Empty)
            {
                errors.Add($"items[{i}]", $"Each item needs a productId and a quantity from 1 to {MaxQuantity}.");
            }
            else if (Items.Take(i).Any(other => other?.ProductId == id))
            {
                errors.Add($"items[{i}]", "Each product may be listed once; add up its quantity instead.");
            }
        }

        return errors.NullIfEmpty();
    }
}

public sealed record ReservationItemRequest(Guid? ProductId, [property: Range(1, ReservationRequest.MaxQuantity)] int? Quantity);

public sealed record ReservationResponse(
    Guid Id, Guid CustomerId, Guid LocationId, ReservationStatus Status, long TotalCents, string Currency,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, IReadOnlyList<ReservationItem> Items)
{
    public static ReservationResponse From(Reservation r) =>
        new(r.Id, r.CustomerId, r.LocationId, r.Status, r.TotalCents, r.Currency, r.CreatedAt, r.ExpiresAt, r.Items);
}

/// <summary>The 409 body's <c>shortItems</c>: what was asked for and what the location has.</summary>
public static class ShortItemsProblem
{
    public static Dictionary<string, object?> Extensions(IEnumerable<ShortItem> shortItems) => new() { ["shortItems"] = shortItems.ToList() };
}

/// <summary>The 409 for a reservation past a per-customer limit: the limit's variable and value in the detail and as fields.</summary>
public static class HoldingLimitProblem
{
    public static ProblemHttpResult For(HoldingLimitExceeded exceeded)
    {
        var (variable, detail) = exceeded.Limit switch
        {
            HoldingLimit.PendingReservations => (InventoryOptions.MaxPendingReservationsVariable,
                $"Nothing was reserved: a customer may have at most {exceeded.Value} pending reservations at once "
                + $"({InventoryOptions.MaxPendingReservationsVariable} = {exceeded.Value}) and this one has {exceeded.Held}; pay for or release one first."),
            _ => (InventoryOptions.MaxUnitsPerProductVariable,
                $"Nothing was reserved: a customer may hold at most {exceeded.Value} units of one product at one store across their pending "
                + $"reservations ({InventoryOptions.MaxUnitsPerProductVariable} = {exceeded.Value}); this one holds {exceeded.Held} of product "
                + $"{exceeded.ProductId} there and asked for {exceeded.Requested} more."),
        };
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict, title: "Per-customer limit reached", detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["limit"] = variable,
                ["limitValue"] = exceeded.Value,
                ["held"] = exceeded.Held,
                ["requested"] = exceeded.Requested,
                ["productId"] = exceeded.ProductId,
            });
    }
}
