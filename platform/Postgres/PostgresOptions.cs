using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Platform.Postgres;

public sealed class PostgresOptions
{
    [ConfigurationKeyName("DB_HOST"), Required(ErrorMessage = "DB_HOST is required.")]
    public string Host { get; set; } = "";

    [ConfigurationKeyName("DB_PORT"), Range(1, 65535)]
    public int Port { get; set; } = 5432;

    [ConfigurationKeyName("DB_NAME"), Required(ErrorMessage = "DB_NAME is required.")]
    public string Database { get; set; } = "";

    [ConfigurationKeyName("DB_USER"), Required(ErrorMessage = "DB_USER is required.")]
    public string User { get; set; } = "";

    /// <summary>Connections per task: the seed plans 200 per service, so 50 each leaves room for four tasks.</summary>
    [ConfigurationKeyName("DB_POOL_SIZE"), Range(1, 1000)]
    public int PoolSize { get; set; } = 50;

    /// <summary>Npgsql's SSL mode; RDS wants <c>Require</c> or <c>VerifyFull</c>, <c>Prefer</c> also works locally.</summary>
    [ConfigurationKeyName("DB_SSL_MODE")]
    public SslMode SslMode { get; set; } = SslMode.Prefer;

    /// <summary>Apply pending migrations at start-up (under EF Core's migration lock), or leave it to <c>migrate</c>.</summary>
    [ConfigurationKeyName("DB_MIGRATE_ON_STARTUP")]
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How often a password read from Secrets Manager (<c>DB_PASSWORD_ARN</c>) is read again.</summary>
    [ConfigurationKeyName("DB_PASSWORD_REFRESH_SECONDS"), Range(1, 86_400)]
    public int PasswordRefreshSeconds { get; set; } = 300;

    public string ConnectionString(string? password) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = User,
        Password = password,
        SslMode = SslMode,
        MaxPoolSize = PoolSize,
        ApplicationName = null,
    }.ConnectionString;
}
