namespace Platform.Hosting;

/// <summary>
/// Work a service does before it takes traffic, once its database is migrated (for example ensuring an admin
/// account). It runs on every start of every task, so it must be idempotent and safe when two tasks start at once.
/// </summary>
public interface IStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
