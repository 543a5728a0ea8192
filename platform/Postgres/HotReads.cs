using Npgsql;

namespace Platform.Postgres;

/// <summary>
/// The one way a hot read goes past EF Core: one parameterised statement through Npgsql, each row mapped by column
/// name. On a single-row read EF Core's query pipeline took about 40 % of the throughput (bench/analysis.md), so the
/// reads every page makes use this; everything else, writes included, stays with EF Core.
/// </summary>
public static class HotReads
{
    /// <summary>The rows of <paramref name="sql"/>, its <c>$1</c>, <c>$2</c> … bound to <paramref name="parameters"/> in order.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        this NpgsqlDataSource database, string sql, object[] parameters, Func<Row, T> map, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
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
