using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Postgres;

namespace Platform.Tests;

/// <summary>
/// <see cref="RowLocks.ForUpdate{T}"/>: a LINQ read that locks the rows it returns until its transaction ends, as the
/// <c>FromSql … FOR UPDATE</c> reads it replaced did, and locks nothing else; and a raw read (<see cref="HotReads"/>) made
/// in a unit of work, which runs in that unit's transaction.
/// </summary>
public sealed class RowLockTests : IAsyncLifetime
{
    private const string LockNotAvailable = "55P03";
    private readonly NotesDatabase _database = new("platform_row_locks");

    public Task InitializeAsync() => _database.CreateAsync();

    public Task DisposeAsync() => _database.DropAsync();

    [Fact]
    public async Task A_read_for_update_holds_its_rows_until_the_transaction_ends()
    {
        var (locked, other) = await AddNotesAsync();
        await using var db = NewDb();

        await db.InTransactionAsync(async ct =>
        {
            var note = await db.Notes.Where(n => n.Id == locked).ForUpdate().SingleAsync(ct);
            Assert.Equal("first", note.Text);

            var blocked = await Assert.ThrowsAsync<PostgresException>(() => UpdateElsewhereAsync(locked));
            Assert.Equal(LockNotAvailable, blocked.SqlState);
            await UpdateElsewhereAsync(other); // a row it did not read is free
        }, CancellationToken.None);

        await UpdateElsewhereAsync(locked); // and the read's row once it committed
    }

    [Fact]
    public async Task A_read_marked_for_update_after_another_tag_fails_rather_than_lock_nothing()
    {
        var (locked, _) = await AddNotesAsync();
        await using var db = NewDb();

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.InTransactionAsync(
            ct => db.Notes.TagWith("why").Where(n => n.Id == locked).ForUpdate().SingleAsync(ct), CancellationToken.None));
    }

    [Fact]
    public async Task A_read_without_it_locks_nothing()
    {
        var (read, _) = await AddNotesAsync();
        await using var db = NewDb();

        await db.InTransactionAsync(async ct =>
        {
            await db.Notes.Where(n => n.Id == read).SingleAsync(ct);
            await UpdateElsewhereAsync(read);
        }, CancellationToken.None);
    }

    [Fact]
    public async Task Ordered_and_many_rows_are_locked_too()
    {
        var (first, second) = await AddNotesAsync();
        await using var db = NewDb();

        await db.InTransactionAsync(async ct =>
        {
            var notes = await db.Notes.Where(n => n.Id == first || n.Id == second).OrderBy(n => n.Text).ForUpdate().ToListAsync(ct);
            Assert.Equal(["first", "second"], notes.Select(n => n.Text));

            foreach (var id in new[] { first, second })
            {
                var blocked = await Assert.ThrowsAsync<PostgresException>(() => UpdateElsewhereAsync(id));
                Assert.Equal(LockNotAvailable, blocked.SqlState);
            }
        }, CancellationToken.None);
    }

    [Fact]
    public async Task A_hot_read_in_a_unit_of_work_reads_and_locks_inside_its_transaction()
    {
        var (locked, _) = await AddNotesAsync();
        await using var db = NewDb();

        await db.InTransactionAsync(async ct =>
        {
            await db.Notes.Where(n => n.Id == locked).ExecuteUpdateAsync(n => n.SetProperty(x => x.Text, "changed, not committed"), ct);
            var texts = await db.Database.QueryAsync("SELECT text FROM notes WHERE id = $1 FOR UPDATE", [locked], row => row.Get<string>("text"), ct);
            Assert.Equal(["changed, not committed"], texts);

            var blocked = await Assert.ThrowsAsync<PostgresException>(() => UpdateElsewhereAsync(locked));
            Assert.Equal(LockNotAvailable, blocked.SqlState);
        }, CancellationToken.None);

        await UpdateElsewhereAsync(locked);
    }

    private async Task<(Guid First, Guid Second)> AddNotesAsync()
    {
        await using var db = NewDb();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        db.Notes.AddRange(new Note { Id = first, Text = "first" }, new Note { Id = second, Text = "second" });
        await db.SaveChangesAsync();
        return (first, second);
    }

    // Another session's update of the row, which gives up at once rather than wait for a lock.
    private async Task UpdateElsewhereAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var noWait = new NpgsqlCommand("SET LOCAL lock_timeout = '50ms'", connection, transaction))
        {
            await noWait.ExecuteNonQueryAsync();
        }

        await using var update = new NpgsqlCommand("UPDATE notes SET text = text WHERE id = $1", connection, transaction);
        update.Parameters.Add(new NpgsqlParameter { Value = id });
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
        await transaction.CommitAsync();
    }

    private NotesDb NewDb() => _database.NewDb(RowLockInterceptor.Instance);
}
