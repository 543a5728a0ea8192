using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payments.Data;
using Payments.Domain;
using Platform.Api;
using Platform.Security;

namespace Payments.Apis;

public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPersonalData("/api/payments", GetPersonalData).WithName("GetPaymentsPersonalData")
            .WithSummary("Everything payments holds about the caller: their payments, refunds and declined attempts.");
        return endpoints;
    }

    private static async Task<Ok<PaymentsPersonalData>> GetPersonalData(ClaimsPrincipal user, PaymentsDb db, CancellationToken cancellationToken)
    {
        var customerId = user.CustomerId();
        var payments = await db.Payments.AsNoTracking().Where(p => p.CustomerId == customerId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
        var paymentIds = payments.Select(p => p.Id).ToList();
        var refunds = (await db.Refunds.AsNoTracking().Where(r => paymentIds.Contains(r.PaymentId)).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken))
            .ToLookup(r => r.PaymentId);
        var declines = await db.PaymentFailures.AsNoTracking().Where(f => f.CustomerId == customerId).OrderBy(f => f.FailedAt)
            .Select(f => new DeclinedAttempt(f.PaymentId, f.FailedAt)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PaymentsPersonalData(
            [.. payments.Select(p => new PaymentRecord(PaymentResponse.From(p), [.. refunds[p.Id].Select(RefundRecord.From)]))],
            declines));
    }
}

public sealed record PaymentsPersonalData(IReadOnlyList<PaymentRecord> Payments, IReadOnlyList<DeclinedAttempt> DeclinedAttempts);

public sealed record PaymentRecord(PaymentResponse Payment, IReadOnlyList<RefundRecord> Refunds);

public sealed record RefundRecord(Guid Id, long AmountCents, string Status, string? Reason, DateTimeOffset CreatedAt)
{
    public static RefundRecord From(Refund r) => new(r.Id, r.AmountCents, r.Status, r.Reason, r.CreatedAt);
}

public sealed record DeclinedAttempt(Guid PaymentId, DateTimeOffset FailedAt);
