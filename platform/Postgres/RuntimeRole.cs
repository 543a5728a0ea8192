using Npgsql;

namespace Platform.Postgres;

/// <summary>
/// Least privilege for the role a service runs as (<c>DB_USER</c>), set up by its migration run as the owner role
/// (<c>DB_MIGRATION_USER</c>): the role exists with the service's password, only it may connect to the service's database
/// (<c>PUBLIC</c> loses <c>CONNECT</c> and <c>TEMPORARY</c>, so no other service's role can), and it may read and write the
/// tables and sequences but not alter or drop them, nor create any. Default privileges cover the tables of future
/// migrations. Idempotent: each migration run applies it again, and sets the password anew, so a rotated
/// <c>DB_PASSWORD</c> reaches the database with the next run.
/// </summary>
public static class RuntimeRole
{
    /// <summary>
    /// What the owner grants, each a <c>format()</c> template run at the server: <c>%1$I</c> is the database, <c>%2$I</c> the
    /// role. Identifiers are quoted by PostgreSQL itself, never pasted into SQL here.
    /// </summary>
    private static readonly string[] Grants =
    [
        "REVOKE CONNECT, TEMPORARY ON DATABASE %1$I FROM PUBLIC",
        "GRANT CONNECT ON DATABASE %1$I TO %2$I",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "GRANT USAGE ON SCHEMA public TO %2$I",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %2$I",
        "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %2$I",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %2$I",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %2$I",
        // The migrations' history is the owner's to write: the running service may only read it.
        "REVOKE INSERT, UPDATE, DELETE ON TABLE public.\"__EFMigrationsHistory\" FROM %2$I",
    ];

    /// <summary>
    /// Creates <paramref name="role"/> (or sets its password) and grants it its privileges on the database
    /// <paramref name="owner"/> is connected to. The password reaches the server as a SCRAM verifier, never as itself.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlConnection owner, string role, string password, CancellationToken cancellationToken)
    {
        await using var exists = Command(owner, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = @role)");
        exists.Parameters.AddWithValue("role", role);
        var template = await exists.ExecuteScalarAsync(cancellationToken) is true
            // SUPERUSER and BYPASSRLS are left alone: only a superuser may name them, and RDS's master user is none.
            ? "ALTER ROLE %2$I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %3$L"
            : "CREATE ROLE %2$I WITH LOGIN PASSWORD %3$L";
        await ExecuteFormattedAsync(owner, template, role, ScramVerifier.Create(password), cancellationToken);
        foreach (var grant in Grants)
        {
            await ExecuteFormattedAsync(owner, grant, role, verifier: null, cancellationToken);
        }
    }

    // The statement is built by the server's format() from a constant template and the parameters, then run.
    private static async Task ExecuteFormattedAsync(
        NpgsqlConnection owner, string template, string role, string? verifier, CancellationToken cancellationToken)
    {
        await using var format = Command(owner, "SELECT format(@template, current_database(), @role::text, @verifier::text)");
        format.Parameters.AddWithValue("template", template);
        format.Parameters.AddWithValue("role", role);
        format.Parameters.AddWithValue("verifier", (object?)verifier ?? DBNull.Value);
        var statement = (string)(await format.ExecuteScalarAsync(cancellationToken))!;
        await using var run = Command(owner, statement);
        await run.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql) =>
        new(sql, connection) { CommandTimeout = (int)PostgresOptions.MaintenanceCommandTimeout.TotalSeconds };
}
