using Inventory.Data;
using Inventory.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Hosting;
using Platform.Postgres;

namespace Inventory.Reservations;

/// <summary>
/// Releases reservations whose time ran out. Each batch is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so several
/// tasks sweep side by side without releasing one twice, and a customer's own release at the same moment waits and
/// then finds nothing left to do.
/// </summary>
public sealed class ReservationSweeper(
    IServiceScopeFactory scopes, IOptions<InventoryOptions> options, ReservationMetrics metrics, TimeProvider time, ILogger<ReservationSweeper> logger)
    : PollingWorker(time, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ReservationSweepSeconds);

    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken) =>
        await SweepOnceAsync(cancellationToken) == BatchSize;

    /// <summary>Releases up to one batch of expired reservations; returns how many this call released.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InventoryDb>();
        var ledger = scope.ServiceProvider.GetRequiredService<StockLedger>();
        var now = Time.GetUtcNow();
        var released = await db.InTransactionAsync(async ct =>
        {
            var expired = await db.Reservations
                .FromSql($"""
                    SELECT * FROM reservations WHERE status = 'Pending' AND expires_at <= {now}
                    ORDER BY expires_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                    """)
                .AsNoTracking()
                .ToListAsync(ct);
            await ledger.LockShelvesOfAsync(expired, ct);
            var count = 0;
            foreach (var reservation in expired)
            {
                count += await ledger.ReleaseAsync(reservation, ct) ? 1 : 0;
            }

            return count;
        }, cancellationToken);

        metrics.Released("expired", released);
        if (released > 0)
        {
            Logger.LogInformation("Released {ReservationCount} expired reservations", released);
        }

        return released;
    }
}
