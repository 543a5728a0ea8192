using Npgsql;
using Platform.Postgres;

namespace Platform.Tests;

public sealed class HotReadsTests
{
    [Fact]
    public async Task Rows_are_mapped_by_column_name_whatever_the_order_and_parameters_bind_in_order()
    {
        await using var database = NpgsqlDataSource.Create(DependencyFailuresTests.RealDatabase());

        var rows = await database.QueryAsync(
            "SELECT $2::text AS name, n AS id FROM generate_series(1, $1::int) AS n ORDER BY n",
            [3, "stock"],
            row => (Id: row.Get<int>("id"), Name: row.Get<string>("name")),
            CancellationToken.None);

        Assert.Equal([(1, "stock"), (2, "stock"), (3, "stock")], rows);
    }

    [Fact]
    public async Task A_column_the_statement_does_not_return_is_an_error_naming_it_not_another_column_read()
    {
        await using var database = NpgsqlDataSource.Create(DependencyFailuresTests.RealDatabase());

        var error = await Assert.ThrowsAsync<IndexOutOfRangeException>(() => database.QueryAsync(
            "SELECT 1 AS id", [], row => row.Get<int>("on_hand"), CancellationToken.None));

        Assert.Contains("on_hand", error.Message, StringComparison.Ordinal);
    }
}
