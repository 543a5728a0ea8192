using System.Security.Claims;
using Inventory.Data;
using Inventory.Domain;
using Inventory.Reservations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Api;
using Platform.Postgres;
using Platform.Security;

namespace Inventory.Apis;

public static class ReservationsApi
{
    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder endpoints)
    {
        var reservations = endpoints.MapGroup("/api/inventory/reservations").WithTags("Reservations").RequireAuthorization(Roles.Customer);
        reservations.MapPost("/", Reserve).WithName("Reserve").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Hold stock of several products at one store while the customer pays: all of it or none (409 lists what is short, "
                + "or names the per-customer limit it would pass); 429 past the customer's rate of reservations.")
            .RequireCustomerWriteRateLimit();
        reservations.MapGet("/{id:guid}", GetReservation).WithName("GetReservation").WithSummary("One of the caller's reservations (any, for an admin).");
        reservations.MapPost("/{id:guid}/release", Release).WithName("ReleaseReservation").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Give the stock back; releasing a released reservation is a no-op.");
        return endpoints;
    }

    private static async Task<Results<Created<ReservationResponse>, ValidationProblem, ProblemHttpResult>> Reserve(
        ReservationRequest request, ClaimsPrincipal user, InventoryDb db, ReservationDesk desk, IOptions<InventoryOptions> options,
        ReservationMetrics metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        var wanted = request.Items!.Select(i => (ProductId: i!.ProductId!.Value, Quantity: i.Quantity!.Value)).ToList();
        var ids = wanted.Select(i => i.ProductId).ToList();
        var locationId = request.LocationId!.Value;
        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new ProductAtStore(p.Id, p.PriceCents, p.Currency,
                db.Stock.Where(s => s.ProductId == p.Id && s.LocationId == locationId).Select(s => s.OnHand - s.Reserved).FirstOrDefault()))
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        if (PriceErrors(wanted, products) is { } priceErrors)
        {
            return priceErrors.ToProblem();
        }

        var now = time.GetUtcNow();
        var items = wanted.Select(i => new ReservationItem(i.ProductId, i.Quantity, products[i.ProductId].PriceCents)).ToList();
        var reservation = new Reservation
        {
            CustomerId = user.CustomerId(),
            LocationId = locationId,
            Currency = products[items[0].ProductId].Currency,
            TotalCents = items.Sum(i => i.UnitPriceCents * i.Quantity),
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(options.Value.ReservationTtlSeconds),
            Items = items,
        };

        // In a rush most requests come after the sell-out: the plain read above answers them without a wait for the
        // desk. (A release committing just after the read is as if the request had come a moment earlier.)
        List<ShortItem> shortNow = [.. items.Where(i => products[i.ProductId].Available < i.Quantity)
            .Select(i => new ShortItem(i.ProductId, i.Quantity, products[i.ProductId].Available))];
        var decision = shortNow.Count > 0 ? new ReservationDecision(null, shortNow) : await desk.ReserveAsync(reservation, cancellationToken);
        if (decision.Exceeded is { } exceeded)
        {
            metrics.RefusedBecause(exceeded.Limit == HoldingLimit.PendingReservations ? "pending_reservations" : "units_per_product");
            return HoldingLimitProblem.For(exceeded);
        }

        if (decision.ShortOf.Count > 0)
        {
            metrics.RefusedBecause("not_enough_stock");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Not enough stock",
                detail: "Nothing was reserved: the store does not have enough of every item.", extensions: ShortItemsProblem.Extensions(decision.ShortOf));
        }

        metrics.Made();
        return TypedResults.Created($"/api/inventory/reservations/{reservation.Id}", ReservationResponse.From(reservation));
    }

    private static async Task<Results<Ok<ReservationResponse>, NotFound>> GetReservation(
        Guid id, ClaimsPrincipal user, InventoryDb db, CancellationToken cancellationToken) =>
        await FindVisibleAsync(id, user, db, cancellationToken) is { } reservation
            ? TypedResults.Ok(ReservationResponse.From(reservation))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<ReservationResponse>, NotFound, ProblemHttpResult>> Release(
        Guid id, ClaimsPrincipal user, InventoryDb db, StockLedger ledger, ReservationMetrics metrics, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(id, user, db, cancellationToken) is not { } reservation)
        {
            return TypedResults.NotFound();
        }

        if (await db.InTransactionAsync(ct => ledger.ReleaseAsync(reservation, ct), cancellationToken))
        {
            metrics.Released("customer");
            return TypedResults.Ok(ReservationResponse.From(reservation)); // the release says what it changed: no read after
        }

        // Released already, expired or paid for since the read above: what it is now.
        var current = await db.Reservations.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
        return current.Status == ReservationStatus.Committed
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already committed",
                detail: "The reservation was paid for; its stock has left the shelf.")
            : TypedResults.Ok(ReservationResponse.From(current));
    }

    /// <summary>The reservation if the caller owns it or is an admin; anyone else is told it does not exist.</summary>
    private static Task<Reservation?> FindVisibleAsync(Guid id, ClaimsPrincipal user, InventoryDb db, CancellationToken cancellationToken)
    {
        var isAdmin = user.IsInRole(Roles.Admin);
        var customerId = user.CustomerId();
        return db.Reservations.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && (isAdmin || r.CustomerId == customerId), cancellationToken);
    }

    /// <summary>A product's price, and what one store has of it available (nothing when it does not stock it).</summary>
    private sealed record ProductAtStore(Guid Id, long PriceCents, string Currency, int Available);

    private static ValidationErrors? PriceErrors(List<(Guid ProductId, int Quantity)> wanted, Dictionary<Guid, ProductAtStore> prices)
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < wanted.Count; i++)
        {
            if (!prices.ContainsKey(wanted[i].ProductId))
            {
                errors.Add($"items[{i}].productId", "There is no such product.");
            }
        }

        if (errors.IsEmpty && prices.Values.Select(p => p.Currency).Distinct().Count() > 1)
        {
            errors.Add("items", "All items of a reservation must be priced in one currency.");
        }

        return errors.NullIfEmpty();
    }
}
