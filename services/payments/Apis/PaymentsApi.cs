using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
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

public static class PaymentsApi
{
    public const int MaxKeyLength = 255;

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder endpoints)
    {
        var payments = endpoints.MapGroup("/api/payments").WithTags("Payments").RequireAuthorization(Roles.Customer);
        payments.MapGet("/", ListPayments).WithName("ListPayments")
            .WithSummary("A page of payments, optionally for one reservation: the caller's own, or all for an admin.");
        payments.MapGet("/{id:guid}", GetPayment).WithName("GetPayment").WithSummary("One of the caller's payments (any, for an admin).");
        payments.MapPost("/", CreatePayment).WithName("CreatePayment").RequireCustomerWriteRateLimit()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Pay for one of the caller's pending reservations: a Stripe PaymentIntent for its total. Idempotency-Key is required.");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<PaymentResponse>>, ValidationProblem>> ListPayments(
        [AsParameters] PageRequest paging, Guid? reservationId, ClaimsPrincipal user, PaymentsDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return errors.ToProblem();
        }

        var page = await Visible(db, user).AsNoTracking()
            .Where(p => reservationId == null || p.ReservationId == reservationId)
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page.Select(PaymentResponse.From));
    }

    private static async Task<Results<Ok<PaymentResponse>, NotFound>> GetPayment(
        Guid id, ClaimsPrincipal user, PaymentsDb db, CancellationToken cancellationToken) =>
        await Visible(db, user).AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } payment
            ? TypedResults.Ok(PaymentResponse.From(payment))
            : TypedResults.NotFound();

    /// <summary>
    /// Creates the payment once per (customer, Idempotency-Key), in phases that hold nothing while inventory or Stripe
    /// is called (<see cref="PaymentCreation"/>). The amount comes from inventory's reservation, never from the client.
    /// </summary>
    private static async Task<Results<Created<CreatedPayment>, ValidationProblem, ProblemHttpResult>> CreatePayment(
        CreatePaymentRequest request, [FromHeader(Name = "Idempotency-Key"), MaxLength(MaxKeyLength)] string? idempotencyKey, HttpRequest http,
        ClaimsPrincipal user, PaymentCreation creation, CancellationToken cancellationToken)
    {
        var errors = KeyErrors(idempotencyKey) ?? new ValidationErrors();
        if (request.ReservationId is not { } reservationId || reservationId == Guid.Empty)
        {
            errors.Add("reservationId", "reservationId is required: the reservation to pay for.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // Inventory not answering is the platform's 503 with Retry-After: nothing was claimed yet.
        var outcome = await creation.CreateAsync(user.CustomerId(), idempotencyKey!, request.ReservationId!.Value, BearerToken(http), cancellationToken);
        return outcome switch
        {
            PaymentReady ready => TypedResults.Created($"/api/payments/{ready.Payment.Id}", CreatedPayment.From(ready.Payment, ready.ClientSecret)),
            Refused refused => Problem(http.HttpContext.Response, refused),
            _ => throw new InvalidOperationException($"A payment cannot end as {outcome.GetType().Name}."),
        };
    }

    /// <summary>The Idempotency-Key rule shared by payments and refunds; null when the key is fine.</summary>
    internal static ValidationErrors? KeyErrors(string? idempotencyKey) =>
        string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxKeyLength
            ? new ValidationErrors().Add("Idempotency-Key", $"The Idempotency-Key header is required: 1 to {MaxKeyLength} characters, new for each request.")
            : null;

    internal static ProblemHttpResult Problem(HttpResponse response, Refused refused)
    {
        if (refused.RetryAfter is { } wait)
        {
            response.SetRetryAfter(wait);
        }

        return TypedResults.Problem(statusCode: refused.Status, title: refused.Title, detail: refused.Detail);
    }

    private static IQueryable<Payment> Visible(PaymentsDb db, ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) ? db.Payments : db.Payments.Where(p => p.CustomerId == user.CustomerId());

    private static string BearerToken(HttpRequest http) =>
        http.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : "";
}

public sealed record CreatePaymentRequest(Guid? ReservationId);

public sealed record PaymentResponse(
    Guid Id, Guid ReservationId, string Status, long AmountCents, long RefundedCents, string Currency, DateTimeOffset CreatedAt)
{
    public static PaymentResponse From(Payment p) => new(p.Id, p.ReservationId, p.Status, p.AmountCents, p.RefundedCents, p.Currency, p.CreatedAt);
}

/// <summary>The new payment, and the client secret the customer's browser confirms it with (Stripe.js).</summary>
public sealed record CreatedPayment(
    Guid Id, Guid ReservationId, string Status, long AmountCents, string Currency, DateTimeOffset CreatedAt, string ClientSecret)
{
    public static CreatedPayment From(Payment p, string clientSecret) =>
        new(p.Id, p.ReservationId, p.Status, p.AmountCents, p.Currency, p.CreatedAt, clientSecret);
}
