using System.Diagnostics;
using System.Threading.Channels;
using Inventory.Data;
using Inventory.Domain;
using Microsoft.Extensions.Options;
using Platform.Errors;
using Platform.Observability;
using Platform.Postgres;

namespace Inventory.Reservations;

/// <summary>
/// Makes reservations in batches: every reservation that arrives while one batch is being decided joins the next, and
/// a batch is one transaction. In a rush for one product each request that held its stock row from its own
/// <c>UPDATE</c> to its own commit made the others queue on that row, a durable commit (a WAL flush) at a time; a batch
/// takes the row once, decides everyone waiting in the order they arrived (<see cref="ReservationBatch"/>), and shares
/// one commit. A reservation that arrives alone is a batch of one.
/// </summary>
public sealed class ReservationDesk(IServiceScopeFactory scopes, IOptions<InventoryOptions> options, DependencyFailures failures)
    : IHostedService
{
    // Plenty for a rush on one task (one batch's statements take milliseconds), and as many as a span keeps links.
    private const int MostPerBatch = 128;

    private readonly Channel<Request> _waiting = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private Task _deciding = Task.CompletedTask;

    private sealed record Request(Reservation Wanted, ActivityContext Caller, CancellationToken Abandoned)
    {
        public TaskCompletionSource<ReservationDecision> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Decides <paramref name="wanted"/> with whatever else is waiting; made means it is committed.</summary>
    public async Task<ReservationDecision> ReserveAsync(Reservation wanted, CancellationToken cancellationToken)
    {
        var request = new Request(wanted, Activity.Current?.Context ?? default, cancellationToken);
        if (_deciding.IsCompleted || !_waiting.Writer.TryWrite(request))
        {
            throw new DependencyUnavailableException("inventory", "This task is stopping; another one takes the reservation.");
        }

        return await request.Answer.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _deciding = Task.Run(DecideWhatArrivesAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Decides what is already waiting, then stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _waiting.Writer.TryComplete();
        await _deciding.WaitAsync(cancellationToken);
    }

    private async Task DecideWhatArrivesAsync()
    {
        var reader = _waiting.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<Request>();
            while (batch.Count < MostPerBatch && reader.TryRead(out var request))
            {
                if (request.Abandoned.IsCancellationRequested)
                {
                    request.Answer.TrySetCanceled(request.Abandoned); // its caller went away while it waited: nothing is made for it
                }
                else
                {
                    batch.Add(request);
                }
            }

            if (batch.Count > 0)
            {
                await DecideAsync(batch, reader);
            }
        }
    }

    private async Task DecideAsync(List<Request> batch, ChannelReader<Request> reader)
    {
        // The batch's statements are traced under the first of its requests that is, and linked to the others.
        Activity? span = null;
        try
        {
            span = ApplicationTraces.StartOnBehalfOf("reservations decide", [.. batch.Select(r => r.Caller)]);
            span?.SetTag("reservations.batch.size", batch.Count);
            var decisions = await DecideInOneTransactionAsync([.. batch.Select(r => r.Wanted)]);
            foreach (var (request, decision) in batch.Zip(decisions))
            {
                request.Answer.TrySetResult(decision);
            }
        }
        catch (Exception exception)
        {
            span?.AddException(exception);
            span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            foreach (var request in batch)
            {
                request.Answer.TrySetException(exception);
            }

            if (failures.Classify(exception) is null)
            {
                return;
            }

            // Whoever queued behind a database that is unavailable shares the batch's answer (a 503 at once) rather than
            // waiting out the same timeout again in a batch of their own.
            while (reader.TryRead(out var waiting))
            {
                waiting.Answer.TrySetException(exception);
            }
        }
        finally
        {
            span?.Dispose();
        }
    }

    /// <summary>
    /// One transaction: the customers' locks, what they hold, the stock rows' locks and availability, the decisions, and
    /// what was made written. Not cancelled by any one caller (the command timeouts bound it): it answers them all.
    /// </summary>
    private async Task<List<ReservationDecision>> DecideInOneTransactionAsync(List<Reservation> wanted)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InventoryDb>();
        var ledger = scope.ServiceProvider.GetRequiredService<StockLedger>();
        var limits = new HoldingLimits(options.Value.MaxPendingReservationsPerCustomer, options.Value.MaxUnitsPerProductPerCustomer);
        List<Guid> customers = [.. wanted.Select(r => r.CustomerId).Distinct()];
        List<Shelf> shelves = [.. wanted.SelectMany(r => r.Items.Select(i => new Shelf(i.ProductId, r.LocationId))).Distinct()];
        return await db.InTransactionAsync(async ct =>
        {
            await ledger.LockCustomersAsync(customers, ct);
            var holdings = await ledger.HeldByAsync(customers, [.. shelves.Select(s => s.ProductId).Distinct()], limits.MaxPendingReservations, ct);
            // The stock rows last, so the hot ones in a rush stay locked only for the decision, two statements and the commit.
            var available = await ledger.LockAvailableAsync(shelves, ct);
            var decisions = ReservationBatch.Decide(wanted, limits, holdings, available);
            var made = wanted.Where((_, i) => decisions[i].IsMade).ToList();
            if (made.Count > 0)
            {
                await ledger.HoldAsync(made
                    .SelectMany(r => r.Items.Select(i => (Shelf: new Shelf(i.ProductId, r.LocationId), i.Quantity)))
                    .GroupBy(i => i.Shelf)
                    .ToDictionary(g => g.Key, g => g.Sum(i => i.Quantity)), ct);
                db.Reservations.AddRange(made);
                await db.SaveChangesAsync(ct);
            }

            return decisions;
        }, CancellationToken.None);
    }
}
