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
        ReservationRequest request, ClaimsPrincipal user, InventoryDb db, StockLedger ledger, IOptions<InventoryOptions> options,
        ReservationMetrics metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        var wanted = request.Items!.Select(i => (ProductId: i!.ProductId!.Value, Quantity: i.Quantity!.Value)).ToList();
        var ids = wanted.Select(i => i.ProductId).ToList();
        var prices = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => (p.PriceCents, p.Currency), cancellationToken);
        if (PriceErrors(wanted, prices) is { } priceErrors)
        {
            return priceErrors.ToProblem();
        }

        var now = time.GetUtcNow();
        var items = wanted.Select(i => new ReservationItem(i.ProductId, i.Quantity, prices[i.ProductId].PriceCents)).ToList();
        var reservation = new Reservation
        {
            CustomerId = user.CustomerId(),
            LocationId = request.LocationId!.Value,
            Currency = prices[items[0].ProductId].Currency,
            TotalCents = items.Sum(i => i.UnitPriceCents * i.Quantity),
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(options.Value.ReservationTtlSeconds),
            Items = items,
        };

        var limits = new HoldingLimits(options.Value.MaxPendingReservationsPerCustomer, options.Value.MaxUnitsPerProductPerCustomer);
        var (exceeded, shortItems) = await db.InTransactionAsync(async ct =>
        {
            // One customer's reservations are made one at a time (a lock on the customer that the commit releases), so
            // two requests at once cannot both fit under a limit only one of them fits under. Different customers never
            // wait here; they meet only on the stock rows.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"reservations-of:{reservation.CustomerId}"}, 0))", ct);
            var (pending, held) = await ledger.HeldByAsync(reservation.CustomerId, reservation.LocationId, ids, limits.MaxPendingReservations, ct);
            if (limits.Check(pending, held, reservation) is { } over)
            {
                return (over, new List<ShortItem>());
            }

            // The reservation's row first, so the stock rows (the hot ones in a rush) stay locked only from their
            // UPDATE to the commit.
            db.Reservations.Add(reservation);
            await db.SaveChangesAsync(ct);
            var shortOf = await ledger.TryHoldAsync(reservation.LocationId, items, ct);
            if (shortOf.Count > 0)
            {
                await db.Database.RollbackTransactionAsync(ct); // all or nothing: what was held goes back
            }

            return ((HoldingLimitExceeded?)null, shortOf);
        }, cancellationToken);

        if (exceeded is not null)
        {
            metrics.RefusedBecause(exceeded.Limit == HoldingLimit.PendingReservations ? "pending_reservations" : "units_per_product");
            return HoldingLimitProblem.For(exceeded);
        }

        if (shortItems.Count > 0)
        {
            metrics.RefusedBecause("not_enough_stock");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Not enough stock",
                detail: "Nothing was reserved: the store does not have enough of every item.", extensions: ShortItemsProblem.Extensions(shortItems));
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
        }

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

    private static ValidationErrors? PriceErrors(
        List<(Guid ProductId, int Quantity)> wanted, Dictionary<Guid, (long PriceCents, string Currency)> prices)
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
