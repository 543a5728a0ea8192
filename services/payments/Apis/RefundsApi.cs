using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Payments.Domain;
using Payments.Flows;
using Platform.Api;
using Platform.Postgres;
using Platform.Security;

namespace Payments.Apis;

public static class RefundsApi
{
    public static IEndpointRouteBuilder MapRefundsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/payments").WithTags("Refunds").RequireAuthorization(Roles.Admin)
            .MapPost("/{id:guid}/refunds", Refund).WithName("RefundPayment")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Give back part or all of a succeeded payment (admin); never more than is left. Idempotency-Key is required.");
        return endpoints;
    }

    /// <remarks>
    /// The refund is claimed (with the payment locked, so two keys cannot both take what is left), made at Stripe with
    /// nothing held, then recorded; a retry with the same key answers from the record. The payment's refunded total is
    /// updated by Stripe's <c>charge.refunded</c> webhook, the one source of truth.
    /// </remarks>
    private static async Task<Results<Created<RefundResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Refund(
        Guid id, RefundRequest request, [FromHeader(Name = "Idempotency-Key"), MaxLength(PaymentsApi.MaxKeyLength)] string? idempotencyKey,
        HttpResponse response, PaymentsDb db, PaymentTransitions transitions, RefundExecution refunds, CancellationToken cancellationToken)
    {
        if (PaymentsApi.KeyErrors(idempotencyKey) is { } keyErrors)
        {
            return keyErrors.ToProblem();
        }

        if (request.AmountCents is <= 0)
        {
            return ValidationErrors.Problem("amountCents", "amountCents is more than 0, or left out to refund everything left.");
        }

        if (await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var (payment, refund) = await db.InTransactionAsync<(Payment?, Refund?)>(async ct =>
            await transitions.LockAsync(id, ct) is { } locked
                ? (locked, await refunds.ClaimAsync(locked, idempotencyKey!, request.AmountCents, "requested by an admin", ct))
                : (null, null),
            cancellationToken);
        if (refund is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to refund",
                detail: $"The payment is {payment?.Status} with less left to refund than asked.");
        }

        if (request.AmountCents is { } asked && asked != refund.AmountCents)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was first used for another amount; use a new key for a new refund.");
        }

        return await refunds.ExecuteAsync(refund.Id, cancellationToken) switch
        {
            RefundDone { Refund: { Status: RefundStatus.Succeeded } done } =>
                TypedResults.Created($"/api/payments/{id}", new RefundResponse(done.StripeRefundId!, id, done.AmountCents, done.Status)),
            Refused refused => PaymentsApi.Problem(response, refused),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to refund",
                detail: "The payment provider refused the refund: nothing is left to refund on this payment."),
        };
    }
}

public sealed record RefundRequest([property: Range(typeof(long), "1", "9223372036854775807")] long? AmountCents);

public sealed record RefundResponse(string Id, Guid PaymentId, long AmountCents, string Status);
