using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// The stores' access to the status schema: commands on pooled connections, typed parameters, and
/// the translation of "schema not there" into a catalogue error that says what to run.
/// </summary>
internal sealed class StatusDatabase
{
    /// <summary>Longest error text kept per entry; a stack of nested messages is not worth megabytes.</summary>
    public const int MaxErrorLength = 8000;

    public StatusDatabase(NpgsqlDataSource dataSource, TimeSpan transientRetry = default, Action<Exception, TimeSpan>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        DataSource = dataSource;
        _transientRetry = transientRetry;
        _onRetry = onRetry;
    }

    private readonly TimeSpan _transientRetry;
    private readonly Action<Exception, TimeSpan>? _onRetry;

    public NpgsqlDataSource DataSource { get; }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One statement on a pooled connection, retried through transient failures (a restart, a full server).</summary>
    public Task<List<T>> QueryAsync<T>(
        string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken) =>
        PostgresRetry.ExecuteAsync(
            async ct =>
            {
                using var connection = await OpenAsync(ct).ConfigureAwait(false);
                return await QueryAsync(connection, transaction: null, sql, bind, map, ct).ConfigureAwait(false);
            },
            cancellationToken,
            _transientRetry,
            _onRetry);

    public static async Task<List<T>> QueryAsync<T>(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string sql,
        Action<NpgsqlParameterCollection> bind,
        Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        bind(command.Parameters);
        return await ExplainingSchemaErrorsAsync(connection, async () =>
        {
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }

            return rows;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One statement on a pooled connection, retried through transient failures (a restart, a full server).</summary>
    public Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken) =>
        PostgresRetry.ExecuteAsync(
            async ct =>
            {
                using var connection = await OpenAsync(ct).ConfigureAwait(false);
                return await ExecuteAsync(connection, transaction: null, sql, bind, ct).ConfigureAwait(false);
            },
            cancellationToken,
            _transientRetry,
            _onRetry);

    public static async Task<int> ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string sql,
        Action<NpgsqlParameterCollection> bind,
        CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        bind(command.Parameters);
        return await ExplainingSchemaErrorsAsync(connection, () => command.ExecuteNonQueryAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one status statement; a schema that is not there, or the older tool's tables under our names, become catalogue errors.</summary>
    private static async Task<T> ExplainingSchemaErrorsAsync<T>(NpgsqlConnection connection, Func<Task<T>> statement, CancellationToken cancellationToken)
    {
        try
        {
            return await statement().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (IsSchemaMissing(ex))
        {
            throw SchemaMissing(connection.Database, ex);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedColumn)
        {
            // The older tool's tables under our names: say so, with the upgrade, instead of a bare 42703.
            var legacy = await LegacyStatusLayout.ExplainAsync(connection, ex, cancellationToken).ConfigureAwait(false);
            if (legacy is null)
            {
                throw;
            }

            throw legacy;
        }
    }

    public static bool IsSchemaMissing(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName;

    public static SfPgException SchemaMissing(string? database, Exception inner) =>
        new(ErrorCatalog.StatusSchemaMissing,
            $"Database '{database}' has no migration_status schema (or it is incomplete): {inner.Message}",
            target: database,
            recommendedAction: null,
            inner);

    /// <summary>Shortens an error for storage; the full text stays in the caller's log.</summary>
    public static string? Clip(string? error) =>
        error is null || error.Length <= MaxErrorLength ? error : error[..MaxErrorLength] + " [...]";
}
