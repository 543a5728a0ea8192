using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Platform.Postgres;

public static class Transactions
{
    private static readonly ConditionalWeakTable<DbContext, List<Action>> AfterCommitActions = new();

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it, unless the work rolled it back itself
    /// (<c>db.Database.RollbackTransactionAsync</c>). The execution strategy retries the whole unit after a transient
    /// failure (it refuses a transaction begun outside it), with the change tracker emptied before each attempt. What the
    /// work asked for with <see cref="AfterCommit"/> runs once the attempt that asked has committed. A failed save fails the
    /// whole unit, so a save inside it takes no savepoint (EF's automatic one costs a round trip to release, and serves
    /// only work that carries on after a failed save; work that must, takes a savepoint of its own).
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        List<Action> afterCommit = [];
        AfterCommitActions.AddOrUpdate(db, afterCommit);
        T result;
        try
        {
            result = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                afterCommit.Clear(); // only what the attempt that commits asked for
                db.Database.AutoSavepointsEnabled = false;
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var value = await work(ct);
                if (db.Database.CurrentTransaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }
                else
                {
                    afterCommit.Clear(); // the work rolled back itself
                }

                return value;
            }, cancellationToken);
        }
        finally
        {
            AfterCommitActions.Remove(db);
        }

        foreach (var action in afterCommit)
        {
            action();
        }

        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/> (counting what the transaction did, say) once the <see cref="InTransactionAsync{T}"/>
    /// in progress on <paramref name="db"/> has committed; never for an attempt that failed or rolled back.
    /// </summary>
    public static void AfterCommit(this DbContext db, Action action) =>
        (AfterCommitActions.TryGetValue(db, out var actions)
            ? actions
            : throw new InvalidOperationException("AfterCommit is only for work inside InTransactionAsync."))
            .Add(action);

    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);
}
