using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Data;
using Payments.Domain;
using Payments.Provider;
using Platform.Hosting;
using Platform.Postgres;

namespace Payments.Flows;

/// <summary>
/// Settles what a crash or a lost webhook left behind: a payment still <c>creating</c> is finished as a retry of its
/// request would finish it; a payment whose webhook has not come is compared with its PaymentIntent at Stripe, and
/// moved as the webhook would have moved it; a refund still <c>requested</c> is made or recorded. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and leased by pushing their time forward, so several tasks share the work without
/// doing one row twice, and Stripe is called with nothing held. A payment is looked at less and less often as it ages
/// (a customer may take their time to pay) and no more after three days, Stripe's own limit for retrying webhooks.
/// </summary>
public sealed class PaymentReconciler(IServiceScopeFactory scopes, IOptions<PaymentsOptions> options, TimeProvider time, ILogger<PaymentReconciler> logger)
    : PollingWorker(time, logger)
{
    private const int BatchSize = 20;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds);

    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken) =>
        await ReconcileOnceAsync(cancellationToken) == BatchSize;

    /// <summary>Settles one batch of payments and refunds that are due; returns how many rows it took.</summary>
    public async Task<int> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PaymentsDb>();
        var lease = TimeSpan.FromSeconds(options.Value.ReconcileAfterSeconds);

        var payments = await ClaimAsync(db, now => db.Payments.FromSql(
            $"SELECT * FROM payments WHERE reconcile_at <= {now} ORDER BY reconcile_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED"), lease, cancellationToken);
        foreach (var payment in payments)
        {
            await SettleAsync(() => SettlePaymentAsync(services, payment, cancellationToken), "payment", payment.Id, cancellationToken);
        }

        var refunds = await ClaimAsync(db, now => db.Refunds.FromSql(
            $"SELECT * FROM refunds WHERE reconcile_at <= {now} ORDER BY reconcile_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED"), lease, cancellationToken);
        foreach (var refund in refunds)
        {
            await SettleAsync(
                () => services.GetRequiredService<RefundExecution>().ExecuteAsync(refund.Id, cancellationToken), "refund", refund.Id, cancellationToken);
        }

        return Math.Max(payments.Count, refunds.Count);
    }

    /// <summary>
    /// Takes up to a batch of due rows and leases them (their time moved past this round) in one short transaction. An
    /// old row's lease is half its age, up to an hour: if Stripe cannot settle it (it is away, or no longer knows the
    /// intent), the row is asked about less and less often instead of every round, and a backlog cannot crowd out the
    /// requests being served.
    /// </summary>
    private async Task<List<T>> ClaimAsync<T>(PaymentsDb db, Func<DateTimeOffset, IQueryable<T>> due, TimeSpan lease, CancellationToken cancellationToken)
        where T : class, IReconciled
    {
        var now = Time.GetUtcNow();
        return await db.InTransactionAsync(async ct =>
        {
            var rows = await due(now).ToListAsync(ct);
            foreach (var row in rows)
            {
                var backoff = (now - row.CreatedAt) / 2;
                row.ReconcileAt = now + (backoff < lease ? lease : backoff > LongestWait ? LongestWait : backoff);
            }

            await db.SaveChangesAsync(ct);
            return rows;
        }, cancellationToken);
    }

    private async Task SettlePaymentAsync(IServiceProvider services, Payment payment, CancellationToken cancellationToken)
    {
        if (payment.Status == PaymentStatus.Creating)
        {
            var outcome = await services.GetRequiredService<PaymentCreation>().AdvanceAsync(payment, cancellationToken);
            Logger.LogInformation("Reconciled creating payment {PaymentId}: {Outcome}", payment.Id, outcome.GetType().Name);
            return;
        }

        var intent = await services.GetRequiredService<StripeGateway>().GetPaymentIntentAsync(payment.StripePaymentIntentId!, cancellationToken);
        var db = services.GetRequiredService<PaymentsDb>();
        var transitions = services.GetRequiredService<PaymentTransitions>();
        await db.InTransactionAsync(async ct =>
        {
            if (await transitions.LockAsync(payment.Id, ct) is not { } locked)
            {
                return;
            }

            if (transitions.Apply(locked, intent, PaymentStatus.FromIntent(intent.Status, intent.LastPaymentError is not null)))
            {
                Logger.LogWarning("Payment {PaymentId} moved to {Status} by the reconciler: its webhook did not come", locked.Id, locked.Status);
            }

            if (!PaymentStatus.IsSettled(locked.Status))
            {
                var age = Time.GetUtcNow() - locked.CreatedAt;
                locked.ReconcileAt = age > GiveUpAfter ? null : Time.GetUtcNow() + Clamp(age / 2);
            }

            await db.SaveChangesAsync(ct);
        }, cancellationToken);
    }

    /// <summary>Half the payment's age, between the webhook wait and an hour: soon after it was made, rarely after.</summary>
    private TimeSpan Clamp(TimeSpan wait)
    {
        var shortest = TimeSpan.FromSeconds(options.Value.WebhookWaitSeconds);
        return wait < shortest ? shortest : wait > LongestWait ? LongestWait : wait;
    }

    /// <summary>One row's failure (Stripe away or timing out, say) leaves it for a later round, and the batch goes on.</summary>
    private async Task SettleAsync(Func<Task> settle, string what, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await settle();
        }
        catch (Exception exception) when (exception.IsNotStopping(cancellationToken))
        {
            Logger.LogWarning(exception, "Reconciling {What} {Id} failed; it is tried again later", what, id);
        }
    }
}
