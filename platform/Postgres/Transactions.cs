using Microsoft.EntityFrameworkCore;

namespace Platform.Postgres;

public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it, unless the work rolled it back itself
    /// (<c>db.Database.RollbackTransactionAsync</c>). The execution strategy retries the whole unit after a transient
    /// failure (it refuses a transaction begun outside it), with the change tracker emptied before each attempt.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            if (db.Database.CurrentTransaction is not null)
            {
                await transaction.CommitAsync(ct);
            }

            return result;
        }, cancellationToken);

    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);
}
