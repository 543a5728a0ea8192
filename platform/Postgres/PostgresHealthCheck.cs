using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Platform.Postgres;

/// <summary>
/// Readiness of the database: one round trip on a pooled connection, without EF Core's retries (readiness says what
/// is, now) and without a scoped context, so the check can be abandoned at its time limit and clean up after itself.
/// </summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
