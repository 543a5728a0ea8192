using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Postgres;

/// <summary>
/// How <c>dotnet ef</c> makes a service's DbContext: with the platform's conventions, as the running service does, and
/// no database (a migration is scaffolded from the model and the last snapshot). A service derives one from it in
/// <c>Data/DesignTimeFactory.cs</c> and is its own startup project.
/// </summary>
public abstract class DesignTimeContextFactory<TContext> : IDesignTimeDbContextFactory<TContext> where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        options.UseNpgsql("Host=design-time").UsePlatformConventions();
        return (TContext)Activator.CreateInstance(typeof(TContext), options.Options)!;
    }
}
