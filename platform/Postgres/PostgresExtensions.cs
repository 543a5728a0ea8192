using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Configuration;
using Platform.Errors;
using Platform.Health;
using Platform.Hosting;
using Platform.Secrets;

namespace Platform.Postgres;

public static class PostgresExtensions
{
    internal const string PasswordSecret = "DB_PASSWORD";

    /// <summary>The password of <c>DB_MIGRATION_USER</c>, the role migrations run as; read only when migrating.</summary>
    internal const string MigrationPasswordSecret = "DB_MIGRATION_PASSWORD";

    /// <summary>
    /// The service's database: one pooled <see cref="NpgsqlDataSource"/> per process (password from
    /// <c>DB_PASSWORD</c>, or from Secrets Manager and refreshed so a rotation needs no restart), a pooled
    /// <typeparamref name="TContext"/> with retries on transient failures bounded by <c>DB_RETRY_BUDGET_MS</c>, a readiness
    /// check, its migrations, and <c>DB_MIN_POOL_SIZE</c> connections opened before it serves. Connecting (and waiting
    /// for a pooled connection) and each command are bounded by <see cref="PostgresOptions"/>, so a database that is
    /// gone or hung is a quick 503, not a hang.
    /// </summary>
    public static IHostApplicationBuilder AddPostgres<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.AddEnvironmentOptions<PostgresOptions>();
        RequiredVariables.RequireSecret(builder, PasswordSecret);
        builder.DeclareSecret(MigrationPasswordSecret); // required only with DB_MIGRATION_USER
        if (!string.IsNullOrEmpty(builder.Configuration["DB_MIGRATION_USER"]))
        {
            RequiredVariables.RequireSecret(builder, MigrationPasswordSecret);
        }

        builder.Services.AddSingleton(sp => CreateDataSource(
            sp.GetRequiredService<IOptions<PostgresOptions>>().Value,
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<SecretStore>(),
            sp.GetRequiredService<ServiceIdentity>()));

        builder.Services.AddDbContextPool<TContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.ExecutionStrategy(dependencies => new BoundedRetryStrategy(
                dependencies, TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.RetryBudgetMilliseconds))))
            .UsePlatformConventions()
            .AddInterceptors(RowLockInterceptor.Instance)
            // A failure is logged once, by whoever handles it (a 503 names the database); EF Core's own error lines
            // would repeat it with a stack trace for every query of an outage.
            .ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (CoreEventId.ExecutionStrategyRetrying, LogLevel.Debug))));

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            DependencyFailures.Postgres, sp => new PostgresHealthCheck(sp.GetRequiredService<NpgsqlDataSource>()), HealthStatus.Unhealthy, [HealthTags.Ready]));
        builder.Services.AddSingleton<IDatabaseMigrator, DatabaseMigrator<TContext>>();
        builder.Services.AddSingleton<IStartupTask, PoolWarmUp>();
        return builder;
    }

    /// <summary>Conventions shared by the running services and the migration scaffolder: snake_case tables and columns.</summary>
    public static DbContextOptionsBuilder UsePlatformConventions(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();

    private static NpgsqlDataSource CreateDataSource(PostgresOptions options, IConfiguration configuration, SecretStore secrets, ServiceIdentity service)
    {
        ReserveThreadsForCancellation(options);
        var passwordGivenDirectly = !string.IsNullOrEmpty(configuration[PasswordSecret]);
        var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString(passwordGivenDirectly ? configuration[PasswordSecret] : null));
        dataSource.ConnectionStringBuilder.ApplicationName = service.Name;
        // A command is traced within the request or event it serves. The workers' polling (outbox relay, sweeper,
        // reconciler) has nothing above it, and would start a trace of its own for every query, burying the requests'.
        dataSource.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null));
        if (!passwordGivenDirectly)
        {
            var refresh = TimeSpan.FromSeconds(options.PasswordRefreshSeconds);
            dataSource.UsePeriodicPasswordProvider(
                async (_, ct) => await secrets.GetAsync(PasswordSecret, ct),
                successRefreshInterval: refresh,
                failureRefreshInterval: TimeSpan.FromSeconds(5));
        }

        return dataSource.Build();
    }

    /// <summary>
    /// Npgsql cancels a timed-out command with a synchronous call: it opens a connection to the server and blocks a
    /// thread until the server answers, or for the connect timeout when the server is hung. A hung database then blocks
    /// up to one thread per pooled connection at once, and the thread pool, which starts with one thread per core and
    /// adds about two a second beyond that, made every other request (health checks included) wait its turn for seconds.
    /// A floor of one thread per connection beyond the cores keeps those requests answered at once. The pool then also
    /// runs up to that many threads when the CPU alone is saturated; the benchmark's read paths measured no loss from it.
    /// </summary>
    private static void ReserveThreadsForCancellation(PostgresOptions options)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + options.PoolSize), completionPorts);
    }
}
