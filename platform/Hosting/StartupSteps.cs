using Microsoft.Extensions.DependencyInjection;
using Platform.Postgres;

namespace Platform.Hosting;

/// <summary>What runs before a service serves; <see cref="PlatformApplicationExtensions.RunPlatformAsync"/> and the test host share it.</summary>
public static class StartupSteps
{
    public static async Task MigrateDatabasesAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        foreach (var migrator in services.GetServices<IDatabaseMigrator>())
        {
            await migrator.MigrateAsync(cancellationToken);
        }
    }

    public static async Task RunStartupTasksAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        foreach (var task in services.GetServices<IStartupTask>())
        {
            await task.RunAsync(cancellationToken);
        }
    }

    public static async Task LoadDemoDataAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        foreach (var demoData in scope.ServiceProvider.GetServices<IDemoData>())
        {
            await demoData.LoadAsync(cancellationToken);
        }
    }
}
