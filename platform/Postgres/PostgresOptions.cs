using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Platform.Postgres;

public sealed class PostgresOptions : IValidatableObject
{
    [ConfigurationKeyName("DB_HOST"), Required(ErrorMessage = "DB_HOST is required.")]
    public string Host { get; set; } = "";

    [ConfigurationKeyName("DB_PORT"), Range(1, 65535)]
    public int Port { get; set; } = 5432;

    [ConfigurationKeyName("DB_NAME"), Required(ErrorMessage = "DB_NAME is required.")]
    public string Database { get; set; } = "";

    /// <summary>The role the service runs as: data access only (DML on its own tables), never their owner.</summary>
    [ConfigurationKeyName("DB_USER"), Required(ErrorMessage = "DB_USER is required.")]
    public string User { get; set; } = "";

    /// <summary>
    /// The role migrations run as (the schema's owner, or the instance's admin), with <c>DB_MIGRATION_PASSWORD</c> or
    /// <c>DB_MIGRATION_PASSWORD_ARN</c>. When set, a migration also ensures <see cref="User"/> exists with
    /// <c>DB_PASSWORD</c>, may connect to this database alone, and has only DML on its tables (<see cref="RuntimeRole"/>).
    /// Unset, migrations run as <see cref="User"/>, which must then own the schema.
    /// </summary>
    [ConfigurationKeyName("DB_MIGRATION_USER")]
    public string? MigrationUser { get; set; }

    /// <summary>Whether migrations run as a role of their own, which grants <see cref="User"/> what it needs.</summary>
    public bool SeparateMigrationRole => !string.IsNullOrEmpty(MigrationUser) && MigrationUser != User;

    /// <summary>Connections per task: the seed plans 200 per service, so 50 each leaves room for four tasks.</summary>
    [ConfigurationKeyName("DB_POOL_SIZE"), Range(1, 1000)]
    public int PoolSize { get; set; } = 50;

    /// <summary>
    /// Connections each task keeps open while idle, opened before it takes traffic. A burst after a quiet spell then
    /// finds them ready: opened all at once on a loaded machine, each open (a process fork and a password exchange at
    /// the server) ran past the connect timeout and was thrown away, so the pool never grew and every request failed.
    /// </summary>
    [ConfigurationKeyName("DB_MIN_POOL_SIZE"), Range(0, 1000)]
    public int MinPoolSize { get; set; } = 10;

    /// <summary>What <see cref="MinPoolSize"/> amounts to: never more than the pool holds.</summary>
    public int WarmConnections => Math.Min(MinPoolSize, PoolSize);

    /// <summary>
    /// Npgsql's SSL mode. On RDS <c>VerifyFull</c>, with <see cref="RootCertificate"/>: <c>Require</c> encrypts but
    /// believes any server, so someone who can answer for the database's name could read every query. <c>Prefer</c>
    /// locally, where the server has no certificate.
    /// </summary>
    [ConfigurationKeyName("DB_SSL_MODE")]
    public SslMode SslMode { get; set; } = SslMode.Prefer;

    /// <summary>The CA certificates (PEM) the server's certificate must chain to: the RDS bundle, which the images carry.</summary>
    [ConfigurationKeyName("DB_ROOT_CERTIFICATE")]
    public string? RootCertificate { get; set; }

    /// <summary>Apply pending migrations at start-up (under EF Core's migration lock), or leave it to <c>migrate</c>.</summary>
    [ConfigurationKeyName("DB_MIGRATE_ON_STARTUP")]
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How often a password read from Secrets Manager (<c>DB_PASSWORD_ARN</c>) is read again.</summary>
    [ConfigurationKeyName("DB_PASSWORD_REFRESH_SECONDS"), Range(1, 86_400)]
    public int PasswordRefreshSeconds { get; set; } = 300;

    /// <summary>
    /// Seconds to open a connection: to connect to the server, and to wait for a free one when the pool is exhausted
    /// (Npgsql's <c>Timeout</c>). Past it the request is a 503, not a queue.
    /// </summary>
    [ConfigurationKeyName("DB_CONNECT_TIMEOUT_SECONDS"), Range(1, 60)]
    public int ConnectTimeoutSeconds { get; set; } = 2;

    /// <summary>
    /// Seconds a command may run (Npgsql's <c>Command Timeout</c>); migrations and retention deletes get longer. A hung
    /// server adds the connect timeout to it (Npgsql's cancel request waits that long), and the two must stay under
    /// the 5 s in which a request answers 503 rather than hang.
    /// </summary>
    [ConfigurationKeyName("DB_COMMAND_TIMEOUT_SECONDS"), Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 2;

    /// <summary>
    /// Milliseconds after the first attempt within which EF Core still starts a retry after a transient failure; a
    /// failure later than that is the answer. Bounds a request's retries to a blip the database recovers from at once.
    /// </summary>
    [ConfigurationKeyName("DB_RETRY_BUDGET_MS"), Range(0, 60_000)]
    public int RetryBudgetMilliseconds { get; set; } = 2000;

    /// <summary>
    /// Milliseconds Npgsql waits for the server to confirm a timed-out command's cancellation before it drops the
    /// connection. (A hung server does not even take the cancel request: that attempt is bounded by the connect timeout.)
    /// </summary>
    public const int CancellationTimeoutMilliseconds = 1000;

    /// <summary>
    /// The command timeout of work no request waits for: migrations (which also wait for another task's migration
    /// lock) and retention deletes.
    /// </summary>
    public static readonly TimeSpan MaintenanceCommandTimeout = TimeSpan.FromMinutes(10);

    public string ConnectionString(string? password) => ConnectionString(User, password);

    /// <summary>The connection of a migration run as <see cref="MigrationUser"/>: unpooled, as it is opened once.</summary>
    public string MigrationConnectionString(string password) =>
        new NpgsqlConnectionStringBuilder(ConnectionString(MigrationUser!, password)) { Pooling = false }.ConnectionString;

    private string ConnectionString(string user, string? password) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = user,
        Password = password,
        SslMode = SslMode,
        RootCertificate = RootCertificate,
        MaxPoolSize = PoolSize,
        MinPoolSize = WarmConnections,
        Timeout = ConnectTimeoutSeconds,
        CommandTimeout = CommandTimeoutSeconds,
        CancellationTimeout = CancellationTimeoutMilliseconds,
        // No Kerberos here; with GSS encryption preferred, each connection to a hung server (the cancel request of a
        // timed-out command among them) is tried twice, doubling the wait.
        GssEncryptionMode = GssEncryptionMode.Disable,
        ApplicationName = null,
    }.ConnectionString;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SslMode is SslMode.VerifyCA or SslMode.VerifyFull && string.IsNullOrEmpty(RootCertificate))
        {
            yield return new ValidationResult(
                $"DB_ROOT_CERTIFICATE is required with DB_SSL_MODE={SslMode}: the CA certificates the server's certificate must chain to.",
                [nameof(RootCertificate)]);
        }
        else if (!string.IsNullOrEmpty(RootCertificate) && !File.Exists(RootCertificate))
        {
            yield return new ValidationResult($"DB_ROOT_CERTIFICATE names {RootCertificate}, which does not exist.", [nameof(RootCertificate)]);
        }
    }
}
