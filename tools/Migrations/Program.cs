// Scaffolds a versioned EF Core migration for one service, the way `dotnet ef migrations add` would:
//   dotnet run --project tools/Migrations -- <service> <MigrationName>
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;
using Platform.Postgres;

var contexts = new Dictionary<string, Func<DbContext>>
{
    ["inventory"] = () => new Inventory.Data.InventoryDb(DesignTimeOptions<Inventory.Data.InventoryDb>()),
    ["customers"] = () => new Customers.Data.CustomersDb(DesignTimeOptions<Customers.Data.CustomersDb>()),
    ["payments"] = () => new Payments.Data.PaymentsDb(DesignTimeOptions<Payments.Data.PaymentsDb>()),
    ["locations"] = () => new Locations.Data.LocationsDb(DesignTimeOptions<Locations.Data.LocationsDb>()),
};

if (args.Length != 2 || !contexts.TryGetValue(args[0], out var createContext))
{
    Console.Error.WriteLine($"usage: migrations <{string.Join('|', contexts.Keys)}> <MigrationName>");
    return 2;
}

var (service, name) = (args[0], args[1]);
var repositoryRoot = FindRepositoryRoot();
var projectDirectory = Path.Combine(repositoryRoot, "services", service);

using var context = createContext();
var designServices = new ServiceCollection()
    .AddEntityFrameworkDesignTimeServices()
    .AddDbContextDesignTimeServices(context);
#pragma warning disable EF1001 // The provider's design-time services are what `dotnet ef` loads too.
new NpgsqlDesignTimeServices().ConfigureDesignTimeServices(designServices);
#pragma warning restore EF1001
using var provider = designServices.BuildServiceProvider();

var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
var rootNamespace = context.GetType().Namespace!.Split('.')[0];
var migration = scaffolder.ScaffoldMigration(name, rootNamespace, subNamespace: "Data.Migrations", language: "C#");
var files = scaffolder.Save(projectDirectory, migration, Path.Combine(projectDirectory, "Data", "Migrations"));
Console.WriteLine($"Wrote {Path.GetRelativePath(repositoryRoot, files.MigrationFile!)}");
return 0;

// No database is contacted: the model and the last snapshot are all a migration is scaffolded from.
static DbContextOptions<T> DesignTimeOptions<T>() where T : DbContext
{
    var options = new DbContextOptionsBuilder<T>();
    options.UseNpgsql("Host=design-time").UsePlatformConventions();
    return options.Options;
}

static string FindRepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
}
