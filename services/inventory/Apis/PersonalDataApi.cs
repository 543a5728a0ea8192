using System.Security.Claims;
using Inventory.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;
using Platform.Security;

namespace Inventory.Apis;

public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPersonalData("/api/inventory", GetPersonalData).WithName("GetInventoryPersonalData")
            .WithSummary("Everything inventory holds about the caller: their reservations.");
        return endpoints;
    }

    private static async Task<Ok<InventoryPersonalData>> GetPersonalData(ClaimsPrincipal user, InventoryDb db, CancellationToken cancellationToken)
    {
        var customerId = user.CustomerId();
        var reservations = await db.Reservations.AsNoTracking()
            .Where(r => r.CustomerId == customerId)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new InventoryPersonalData([.. reservations.Select(ReservationResponse.From)]));
    }
}

public sealed record InventoryPersonalData(IReadOnlyList<ReservationResponse> Reservations);
