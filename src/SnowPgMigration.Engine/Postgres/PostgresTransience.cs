using Npgsql;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// The one answer to "may this PostgreSQL failure pass on a retry?": Npgsql's own classification, plus the
/// states a restart, a failover or a full server shows (connection classes 08, shutdown 57P0x, too many
/// clients 53300, serialization and deadlock 40001 / 40P01).
/// </summary>
public static class PostgresTransience
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => false,
    };
}
