using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Platform.Postgres;

namespace Platform.Tests;

/// <summary>
/// <see cref="Transactions.InTransactionAsync{T}"/>: a unit of work commits whole or not at all, and a save inside it costs
/// no savepoint (EF's automatic one is released with a round trip of its own, and could only serve a caller that carries
/// on after a failed save, which a unit does not).
/// </summary>
public sealed class TransactionTests : IAsyncLifetime
{
    private readonly NotesDatabase _database = new("platform_transactions");
    private readonly SavepointCounter _savepoints = new();

    public Task InitializeAsync() => _database.CreateAsync();

    public Task DisposeAsync() => _database.DropAsync();

    [Fact]
    public async Task Saves_inside_a_unit_of_work_take_no_savepoint_and_commit_together()
    {
        await using var db = NewDb();
        Guid[] ids = [Guid.NewGuid(), Guid.NewGuid()];

        await db.InTransactionAsync(async ct =>
        {
            foreach (var id in ids)
            {
                db.Notes.Add(new Note { Id = id, Text = "saved" });
                await db.SaveChangesAsync(ct);
            }
        }, CancellationToken.None);

        Assert.Equal((0, 0), (_savepoints.Created, _savepoints.Released));
        Assert.Equal(2, await db.Notes.CountAsync(n => ids.Contains(n.Id), CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_save_fails_the_whole_unit_and_leaves_nothing_of_it()
    {
        await using var db = NewDb();
        var (taken, first) = (Guid.NewGuid(), Guid.NewGuid());
        db.Notes.Add(new Note { Id = taken, Text = "already there" });
        await db.SaveChangesAsync(CancellationToken.None);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.InTransactionAsync(async ct =>
        {
            db.Notes.Add(new Note { Id = first, Text = "saved before the failure" });
            await db.SaveChangesAsync(ct);
            db.Notes.Add(new Note { Id = taken, Text = "a second row with a taken key" });
            await db.SaveChangesAsync(ct);
        }, CancellationToken.None));

        Assert.False(await db.Notes.AnyAsync(n => n.Id == first, CancellationToken.None));
        Assert.Equal("already there", (await db.Notes.AsNoTracking().SingleAsync(n => n.Id == taken, CancellationToken.None)).Text);
    }

    private NotesDb NewDb() => _database.NewDb(_savepoints);

    internal sealed class SavepointCounter : DbTransactionInterceptor
    {
        public int Created { get; private set; }

        public int Released { get; private set; }

        public override Task CreatedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
        {
            Created++;
            return Task.CompletedTask;
        }

        public override Task ReleasedSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
        {
            Released++;
            return Task.CompletedTask;
        }
    }
}
