using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Platform.Postgres;
using TestSupport;

namespace Platform.Tests;

/// <summary>A database of its own with one table, <c>notes</c>, for the tests of what the platform adds to EF Core.</summary>
internal sealed class NotesDatabase(string name)
{
    private readonly TestDatabase _database = new(name);

    public string ConnectionString => _database.ConnectionString;

    public async Task CreateAsync()
    {
        await _database.CreateAsync();
        await using var db = NewDb();
        await db.Database.EnsureCreatedAsync();
    }

    public Task DropAsync() => _database.DropAsync();

    public NotesDb NewDb(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<NotesDb>().UseNpgsql(_database.ConnectionString).AddInterceptors(interceptors);
        options.UsePlatformConventions();
        return new NotesDb(options.Options);
    }
}

internal sealed class NotesDb(DbContextOptions<NotesDb> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
}

internal sealed class Note
{
    public Guid Id { get; set; }

    public string Text { get; set; } = "";
}
