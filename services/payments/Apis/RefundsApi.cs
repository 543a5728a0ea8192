using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Payments.Domain;
using Payments.Provider;
using Platform.Security;
using Stripe;

namespace Payments.Apis;

public static class RefundsApi
{
    public static IEndpointRouteBuilder MapRefundsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/payments").WithTags("Refunds").RequireAuthorization(Roles.Admin)
            .MapPost("/{id:guid}/refunds", Refund).WithName("RefundPayment")
            .WithSummary("Give back part or all of a succeeded payment (admin); never more than is left. Idempotency-Key is required.");
        return endpoints;
    }

    /// <remarks>
    /// The payment's refunded total is updated by Stripe's <c>charge.refunded</c> webhook, the one source of truth; the
    /// check here refuses what is plainly too much, and Stripe refuses anything beyond what is left on the charge.
    /// </remarks>
    private static async Task<Results<Created<RefundResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Refund(
        Guid id, RefundRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, PaymentsDb db, StripeGateway stripe,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 255)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["The Idempotency-Key header is required: 1 to 255 characters."] });
        }

        if (request.AmountCents is <= 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["amountCents"] = ["amountCents is more than 0, or left out to refund everything left."] });
        }

        if (await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is not { } payment)
        {
            return TypedResults.NotFound();
        }

        var left = payment.AmountCents - payment.RefundedCents;
        if (!PaymentStatus.IsCaptured(payment.Status) || left == 0 || request.AmountCents > left)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to refund",
                detail: $"The payment is {payment.Status} with {left} of {payment.AmountCents} left to refund.");
        }

        try
        {
            var refund = await stripe.RefundAsync(payment.StripePaymentIntentId!, request.AmountCents, $"refund-{payment.Id}-{idempotencyKey}", cancellationToken);
            return TypedResults.Created($"/api/payments/{payment.Id}", new RefundResponse(refund.Id, payment.Id, refund.Amount, refund.Status));
        }
        catch (StripeException exception) when (exception.StripeError?.Code is "amount_too_large" or "charge_already_refunded")
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to refund", detail: exception.StripeError.Message);
        }
    }
}

public sealed record RefundRequest(long? AmountCents);

public sealed record RefundResponse(string Id, Guid PaymentId, long AmountCents, string Status);
