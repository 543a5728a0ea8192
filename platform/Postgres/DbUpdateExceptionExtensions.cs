using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Platform.Postgres;

public static class DbUpdateExceptionExtensions
{
    /// <summary>True when PostgreSQL refused the write because a unique index already holds the value.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
