using Platform.Postgres;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Payments.Domain;
using Payments.Inventory;
using Payments.Provider;
using Platform.Api;
using Platform.Security;
using Stripe;

namespace Payments.Apis;

public static class PaymentsApi
{
    private const int MaxKeyLength = 255;

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder endpoints)
    {
        var payments = endpoints.MapGroup("/api/payments").WithTags("Payments").RequireAuthorization(Roles.Customer);
        payments.MapGet("/", ListPayments).WithName("ListPayments")
            .WithSummary("A page of payments, optionally for one reservation: the caller's own, or all for an admin.");
        payments.MapGet("/{id:guid}", GetPayment).WithName("GetPayment").WithSummary("One of the caller's payments (any, for an admin).");
        payments.MapPost("/", CreatePayment).WithName("CreatePayment")
            .WithSummary("Pay for one of the caller's pending reservations: a Stripe PaymentIntent for its total. Idempotency-Key is required.");
        return endpoints;
    }

    private static async Task<Results<Ok<Paged<PaymentResponse>>, ValidationProblem>> ListPayments(
        [AsParameters] PageRequest paging, Guid? reservationId, ClaimsPrincipal user, PaymentsDb db, CancellationToken cancellationToken)
    {
        if (paging.Errors() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await Visible(db, user).AsNoTracking()
            .Where(p => reservationId == null || p.ReservationId == reservationId)
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToPageAsync(paging, cancellationToken);
        return TypedResults.Ok(page.Select(PaymentResponse.From));
    }

    private static async Task<Results<Ok<PaymentResponse>, NotFound>> GetPayment(Guid id, ClaimsPrincipal user, PaymentsDb db, CancellationToken cancellationToken) =>
        await Visible(db, user).AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } payment
            ? TypedResults.Ok(PaymentResponse.From(payment))
            : TypedResults.NotFound();

    /// <summary>
    /// Creates the payment once per (customer, Idempotency-Key). Requests with one key, and then requests for one
    /// reservation, are serialised by transaction advisory locks (always in that order, so they cannot deadlock):
    /// racing duplicates wait and then replay the first answer, and a second key for the reservation gets 409. The amount comes from inventory's
    /// reservation, never from the client, and Stripe gets an idempotency key derived from ours, so even a crash after
    /// Stripe answered cannot make a second PaymentIntent.
    /// </summary>
    private static async Task<Results<Created<CreatedPayment>, ValidationProblem, ProblemHttpResult>> CreatePayment(
        CreatePaymentRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpRequest http, ClaimsPrincipal user,
        PaymentsDb db, InventoryClient inventory, StripeGateway stripe, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxKeyLength)
        {
            errors["Idempotency-Key"] = [$"The Idempotency-Key header is required: 1 to {MaxKeyLength} characters, new for each payment."];
        }

        if (request.ReservationId is not { } reservationId || reservationId == Guid.Empty)
        {
            errors["reservationId"] = ["reservationId is required: the reservation to pay for."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var customerId = user.CustomerId();
        var key = idempotencyKey!;
        var stripeKey = StripeIdempotencyKey(customerId, key);
        try
        {
            return await db.InTransactionAsync<Results<Created<CreatedPayment>, ValidationProblem, ProblemHttpResult>>(async ct =>
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"{customerId}:{key}"}, 0))", ct);

                if (await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.CustomerId == customerId && k.Key == key, ct) is { } first)
                {
                    if (first.Request != request.ReservationId!.Value.ToString())
                    {
                        return Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                            "This Idempotency-Key was first used for another reservation; use a new key for a new payment.");
                    }

                    var earlier = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == first.PaymentId, ct);
                    var replayed = await stripe.CreatePaymentIntentAsync(earlier.AmountCents, earlier.Currency, Metadata(earlier.ReservationId, customerId), stripeKey, ct);
                    return Created(earlier, replayed.ClientSecret);
                }

                // Then the reservation itself, so two different keys for it cannot both get past the check below.
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"reservation:{request.ReservationId}"}, 0))", ct);
                var reservation = await inventory.FindReservationAsync(request.ReservationId!.Value, BearerToken(http), ct);
                if (reservation is null)
                {
                    return Problem(StatusCodes.Status404NotFound, "No such reservation", "There is no reservation with that id among yours.");
                }

                if (reservation.Status != "pending")
                {
                    return Problem(StatusCodes.Status409Conflict, "Reservation not pending", $"The reservation is {reservation.Status}; only a pending reservation can be paid.");
                }

                if (await db.Payments.AnyAsync(p => p.ReservationId == reservation.Id && p.Status != PaymentStatus.Canceled, ct))
                {
                    return Problem(StatusCodes.Status409Conflict, "Already being paid", "The reservation already has a payment; pay or cancel that one.");
                }

                var intent = await stripe.CreatePaymentIntentAsync(reservation.TotalCents, reservation.Currency, Metadata(reservation.Id, customerId), stripeKey, ct);
                var payment = new Payment
                {
                    ReservationId = reservation.Id,
                    CustomerId = customerId,
                    AmountCents = reservation.TotalCents,
                    Currency = reservation.Currency,
                    Status = PaymentStatus.RequiresPaymentMethod,
                    StripePaymentIntentId = intent.Id,
                    CreatedAt = time.GetUtcNow(),
                };
                db.Payments.Add(payment);
                db.IdempotencyKeys.Add(new IdempotencyRecord { CustomerId = customerId, Key = key, Request = reservation.Id.ToString(), PaymentId = payment.Id, CreatedAt = time.GetUtcNow() });
                await db.SaveChangesAsync(ct);
                return Created(payment, intent.ClientSecret);
            }, cancellationToken);
        }
        catch (StripeException exception)
        {
            return Problem(StatusCodes.Status502BadGateway, "Stripe refused the payment", exception.StripeError?.Message ?? "Stripe did not answer as expected.");
        }
        catch (Exception exception) when (exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            // Inventory did not answer, even after the resilience handler's retries: nothing was created, try again later.
            RetryAfter.SetRetryAfter(http.HttpContext.Response, TimeSpan.FromSeconds(5));
            return Problem(StatusCodes.Status503ServiceUnavailable, "Inventory unavailable", "The reservation could not be read; nothing was charged. Try again shortly.");
        }
    }

    private static IQueryable<Payment> Visible(PaymentsDb db, ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) ? db.Payments : db.Payments.Where(p => p.CustomerId == user.CustomerId());

    private static Dictionary<string, string> Metadata(Guid reservationId, Guid customerId) =>
        new() { ["reservation_id"] = reservationId.ToString(), ["customer_id"] = customerId.ToString() };

    /// <summary>Ours, scoped to the customer and hashed, so Stripe sees one fixed-length key per (customer, key).</summary>
    private static string StripeIdempotencyKey(Guid customerId, string key) =>
        "payments-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}:{key}")));

    private static string BearerToken(HttpRequest http) =>
        http.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";

    private static Created<CreatedPayment> Created(Payment payment, string clientSecret) =>
        TypedResults.Created($"/api/payments/{payment.Id}", CreatedPayment.From(payment, clientSecret));

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}

public sealed record CreatePaymentRequest(Guid? ReservationId);

public sealed record PaymentResponse(Guid Id, Guid ReservationId, string Status, long AmountCents, long RefundedCents, string Currency, DateTimeOffset CreatedAt)
{
    public static PaymentResponse From(Payment p) => new(p.Id, p.ReservationId, p.Status, p.AmountCents, p.RefundedCents, p.Currency, p.CreatedAt);
}

/// <summary>The new payment, and the client secret the customer's browser confirms it with (Stripe.js).</summary>
public sealed record CreatedPayment(Guid Id, Guid ReservationId, string Status, long AmountCents, string Currency, DateTimeOffset CreatedAt, string ClientSecret)
{
    public static CreatedPayment From(Payment p, string clientSecret) => new(p.Id, p.ReservationId, p.Status, p.AmountCents, p.Currency, p.CreatedAt, clientSecret);
}
