using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Watches a table's chunk failures for one cause that no chunk can get past - a missing privilege, table or
/// column, a refused login - and trips when it has failed <see cref="Limit"/> chunks in a row, so the table stops
/// instead of spending every attempt of every remaining chunk on it. A chunk that commits resets the count.
/// Thread-safe: the table's workers share one.
/// </summary>
internal sealed class SystemicFailures
{
    /// <summary>Chunks in a row one systemic cause must fail before the table stops.</summary>
    public const int Limit = 3;

    private readonly object _gate = new();
    private string? _cause;
    private string? _firstMessage;
    private int _inARow;

    public bool Tripped { get; private set; }

    public void Succeeded()
    {
        lock (_gate)
        {
            _cause = null;
            _inARow = 0;
        }
    }

    /// <summary>Counts a chunk that failed for good (no retry left, or not worth one).</summary>
    public void Failed(Exception error)
    {
        var cause = SystemicCause(error);
        lock (_gate)
        {
            if (cause is null || cause != _cause)
            {
                _cause = cause;
                _firstMessage = error.Message;
                _inARow = cause is null ? 0 : 1;
            }
            else
            {
                _inARow++;
            }

            Tripped |= _inARow >= Limit;
        }
    }

    /// <summary>SFPG4210 naming the table, the cause and how many chunks it failed.</summary>
    public SfPgException StoppedError(string table)
    {
        lock (_gate)
        {
            return new SfPgException(
                ErrorCatalog.TableStoppedOnSystemicError,
                $"Table {table} stopped after {_inARow} chunks in a row failed with the same error ({_cause}): {_firstMessage} " +
                "Its other chunks were not attempted and stay pending.",
                target: table,
                recommendedAction: null);
        }
    }

    /// <summary>A short key for a cause every chunk of the table would meet the same way; null for anything else (bad data in one chunk, a timeout).</summary>
    internal static string? SystemicCause(Exception error) => error switch
    {
        PostgresException pg when pg.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.UndefinedColumn
            or PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.ReadOnlySqlTransaction
            || pg.SqlState.StartsWith("28", StringComparison.Ordinal) => "PostgreSQL " + pg.SqlState,
        SnowflakeException sf when sf.SqlState?.StartsWith("42", StringComparison.Ordinal) == true => "Snowflake " + (sf.SnowflakeCode ?? sf.SqlState),
        SfPgException sf when sf.Error.Kind is ErrorKind.Authentication or ErrorKind.ObjectNotFound => sf.Code,
        _ when error.InnerException is { } inner => SystemicCause(inner),
        _ => null,
    };
}
