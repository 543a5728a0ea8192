using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Errors;
using Platform.Hosting;

namespace Platform.Postgres;

/// <summary>
/// Opens <c>DB_MIN_POOL_SIZE</c> connections before the task takes traffic, so its first burst does not wait for them
/// (the pool keeps that many open from then on). A database that is not there yet is no reason not to start: the
/// readiness check says so, and the pool fills on demand.
/// </summary>
internal sealed class PoolWarmUp(NpgsqlDataSource dataSource, IOptions<PostgresOptions> options, DependencyFailures failures, ILogger<PoolWarmUp> logger)
    : IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var count = options.Value.WarmConnections;
        var connections = new List<NpgsqlConnection>(count);
        try
        {
            // Held together, so each is a connection of its own rather than the same one reused.
            for (var i = 0; i < count; i++)
            {
                connections.Add(await dataSource.OpenConnectionAsync(cancellationToken));
            }
        }
        catch (Exception exception) when (failures.Classify(exception) == DependencyFailures.Postgres)
        {
            logger.LogWarning("Opened {Opened} of {Wanted} pooled connections before serving; PostgreSQL is unavailable ({ExceptionType}: {ExceptionMessage})",
                connections.Count, count, exception.GetType().Name, exception.Message);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
