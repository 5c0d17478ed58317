using Npgsql;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Errors;

/// <summary>What is known about whether a failure passes if the same work is tried again.</summary>
public enum FailureClass
{
    /// <summary>Nothing says either way (an exception no rule knows).</summary>
    Unknown,

    /// <summary>The same work may succeed later: an outage, an overload, a dropped connection, a restart.</summary>
    Transient,

    /// <summary>It fails the same way every time until data, settings or objects change.</summary>
    Permanent,
}

/// <summary>
/// The one answer to "is this failure worth retrying?", for every retry in the engine: the chunk's attempts
/// (<see cref="MayPassOnRetry"/>), the status statements (<see cref="PostgresRetry"/>, the run's final status)
/// and the Snowflake client's HTTP retries (<see cref="IsTransient"/>). It decides nothing of its own where a
/// library already classifies: catalogued errors carry <see cref="ErrorCode.Transient"/>, Snowflake's answers
/// their code (<see cref="SnowflakeException.IsTransient"/>), PostgreSQL's its SQL state and Npgsql's own
/// <see cref="NpgsqlException.IsTransient"/> (<see cref="PostgresTransience"/>), and the HTTP transport its
/// failures.
/// </summary>
public static class FailureClassification
{
    public static FailureClass Classify(Exception exception) => exception switch
    {
        null => throw new ArgumentNullException(nameof(exception)),
        SnowflakeException snowflake => snowflake.IsTransient ? FailureClass.Transient : FailureClass.Permanent,
        SfPgException catalogued => catalogued.Error.Transient ? FailureClass.Transient : FailureClass.Permanent,

        // The server answered with a SQL state: it says which failures pass.
        PostgresException pg => PostgresTransience.IsTransient(pg) ? FailureClass.Transient : FailureClass.Permanent,

        // No answer: Npgsql knows a broken stream, a socket error or a timeout when it sees one.
        NpgsqlException npgsql => npgsql.IsTransient ? FailureClass.Transient : FailureClass.Unknown,

        // A connection that dropped, a request without an answer, an attempt past its time.
        TimeoutException => FailureClass.Transient,
        _ when SnowflakeHttpTransport.IsTransportFailure(exception) => FailureClass.Transient,
        _ => FailureClass.Unknown,
    };

    /// <summary>
    /// True only for failures known to pass later. For retries bounded by time rather than attempts (status
    /// statements, HTTP requests), where retrying what cannot pass only delays the error.
    /// </summary>
    public static bool IsTransient(Exception exception) => Classify(exception) == FailureClass.Transient;

    /// <summary>
    /// True unless the failure is known to repeat (bad data, bad settings, a missing object, a refused statement).
    /// For a chunk's attempts: each is rolled back and their number is bounded, so a failure nothing classifies
    /// gets its remaining attempts rather than failing the chunk at once.
    /// </summary>
    public static bool MayPassOnRetry(Exception exception) => Classify(exception) != FailureClass.Permanent;
}
