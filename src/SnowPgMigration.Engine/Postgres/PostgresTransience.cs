using Npgsql;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// PostgreSQL's part of <see cref="Errors.FailureClassification"/>: Npgsql's own classification of a server
/// error, plus the states a restart, a failover or a full server shows (connection class 08, shutdown and
/// cancel 57014 / 57P01-57P03 / 57P05, too many clients 53300, serialization and deadlock 40001 / 40P01).
/// </summary>
public static class PostgresTransience
{
    public static bool IsTransient(PostgresException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.IsTransient
            || exception.SqlState.StartsWith("08", StringComparison.Ordinal)
            || exception.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.IdleSessionTimeout or PostgresErrorCodes.QueryCanceled
                or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;
    }
}
