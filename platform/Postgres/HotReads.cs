using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Platform.Postgres;

/// <summary>
/// The one way a hot read goes past EF Core: one parameterised statement through Npgsql, each row mapped by column
/// name. On a single-row read EF Core's query pipeline took about 40 % of the throughput (bench/analysis.md), and it
/// plans a <c>SqlQuery</c> or <c>FromSql</c> with parameters again on every call, one caller at a time; so the reads
/// every page makes, and the raw reads a busy unit of work makes, use this. Everything else, writes included, stays
/// with EF Core.
/// </summary>
public static class HotReads
{
    /// <summary>The rows of <paramref name="sql"/>, its <c>$1</c>, <c>$2</c> … bound to <paramref name="parameters"/> in order.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        this NpgsqlDataSource database, string sql, object[] parameters, Func<Row, T> map, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        return await ReadAsync(command, parameters, map, cancellationToken);
    }

    /// <summary>
    /// The rows of <paramref name="sql"/> read on <paramref name="database"/>'s connection, inside its transaction when
    /// one is open (so a <c>FOR UPDATE</c> holds until the unit of work ends).
    /// </summary>
    public static async Task<List<T>> QueryAsync<T>(
        this DatabaseFacade database, string sql, object[] parameters, Func<Row, T> map, CancellationToken cancellationToken)
    {
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                sql, (NpgsqlConnection)database.GetDbConnection(), (NpgsqlTransaction?)database.CurrentTransaction?.GetDbTransaction());
            return await ReadAsync(command, parameters, map, cancellationToken);
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlCommand command, object[] parameters, Func<Row, T> map, CancellationToken cancellationToken)
    {
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        var row = new Row(reader);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(row));
        }

        return rows;
    }
}

/// <summary>The current row of a <see cref="HotReads"/> read, its columns read by name.</summary>
public readonly struct Row(NpgsqlDataReader reader)
{
    public T Get<T>(string column) => reader.GetFieldValue<T>(reader.GetOrdinal(column));
}
