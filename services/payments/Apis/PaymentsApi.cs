using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Platform.Api;
using Platform.Security;

namespace Payments.Apis;

public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder endpoints)
    {
        var payments = endpoints.MapGroup("/api/payments").WithTags("Payments").RequireAuthorization(Roles.Customer);
        payments.MapGet("/", ListPayments).WithName("ListPayments")
            .WithSummary("A page of payments, optionally for one reservation: the caller's own, or all for an admin.");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<PaymentResponse>>, ValidationProblem>> ListPayments(
        [AsParameters] PageRequest paging, Guid? reservationId, ClaimsPrincipal user, PaymentsDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var visible = user.IsInRole(Roles.Admin) ? db.Payments : db.Payments.Where(p => p.CustomerId == user.CustomerId());
        var page = await visible.AsNoTracking()
            .Where(p => reservationId == null || p.ReservationId == reservationId)
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id)
            .Select(p => new PaymentResponse(p.Id, p.ReservationId, p.Status, p.AmountCents, p.Currency, p.CreatedAt))
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page);
    }
}

public sealed record PaymentResponse(Guid Id, Guid ReservationId, string Status, long AmountCents, string Currency, DateTimeOffset CreatedAt);
