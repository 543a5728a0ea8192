using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Postgres;

/// <summary>
/// Row locks from LINQ: <c>query.ForUpdate()</c> reads the rows and locks them until the transaction ends, as
/// <c>SELECT … FOR UPDATE</c> does. EF Core has no operator for it, and the same read written with <c>FromSql</c> is
/// planned again on every call, one caller at a time (EF Core does not cache the SQL of a <c>FromSql</c> with
/// parameters, and serialises its generation per query): under load, requests queued there and the thread pool grew
/// (bench/analysis.md). A tagged LINQ query is compiled and cached like any other; <see cref="RowLockInterceptor"/>
/// appends the lock to its SQL.
/// </summary>
public static class RowLocks
{
    internal const string Tag = "FOR UPDATE";

    // EF Core writes each tag as a comment line, then a blank line, before the statement.
    internal static readonly string TaggedHeader = "-- " + Tag + Environment.NewLine;

    public static IQueryable<T> ForUpdate<T>(this IQueryable<T> query) => query.TagWith(Tag);
}

/// <summary>Appends <c>FOR UPDATE</c> to the SQL of a query marked with <see cref="RowLocks.ForUpdate{T}"/>.</summary>
internal sealed class RowLockInterceptor : DbCommandInterceptor
{
    public static readonly RowLockInterceptor Instance = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Lock(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Lock(command);
        return ValueTask.FromResult(result);
    }

    // PostgreSQL takes the locking clause after ORDER BY and LIMIT, where EF Core's statement ends. A marked query whose
    // mark is not first (another tag before it) would silently lock nothing, so it fails instead.
    private static void Lock(DbCommand command)
    {
        var sql = command.CommandText;
        if (sql.StartsWith(RowLocks.TaggedHeader, StringComparison.Ordinal))
        {
            command.CommandText = sql + " FOR UPDATE";
        }
        else if (sql.Contains(RowLocks.TaggedHeader, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A query marked ForUpdate() must carry no other tag before the mark, or its rows would not be locked.");
        }
    }
}
