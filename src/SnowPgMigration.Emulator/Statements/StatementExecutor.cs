using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Emulator.Results;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// Runs statements on PostgreSQL: picks the database (the request's, else the one of the first
/// three-part name, else the connection string's), opens a session with the request's schema as
/// <c>search_path</c> and its time zone, runs each statement and streams its rows into partitions.
/// Every request is its own session, as in Snowflake, opened as the emulator's <see cref="ReaderRole"/>
/// in one read-only transaction: the emulator reads, and test data is written in PostgreSQL directly.
/// </summary>
internal sealed class StatementExecutor : IAsyncDisposable
{
    private const string ApplicationName = "sfpg-emulator";
    private const int ReadBufferBytes = 128 * 1024;

    private readonly EmulatorOptions _options;
    private readonly UnloadStorage _storage;
    private readonly StatementRegistry _registry;
    private readonly EmulatorStats _stats;
    private readonly string _spillDirectory;
    private readonly string _defaultDatabase;
    private readonly ReaderRole _reader;
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _dataSources = new(StringComparer.Ordinal);

    public StatementExecutor(EmulatorOptions options, StatementRegistry registry, EmulatorStats stats, string spillDirectory, ReaderRole reader, UnloadStorage storage)
    {
        _reader = reader;
        _options = options;
        _storage = storage;
        _registry = registry;
        _stats = stats;
        _spillDirectory = spillDirectory;
        _defaultDatabase = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString).Database ?? "postgres";
    }

    /// <summary>Runs <paramref name="statement"/> to its end; never throws, the outcome is on the statement.</summary>
    public async Task RunAsync(EmulatedStatement statement, StatementRequest request)
    {
        var token = statement.Cancellation.Token;
        using var timeout = request.TimeoutSeconds is > 0 and var seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : null;
        using var onTimeout = timeout?.Token.Register(statement.MarkTimedOut);
        try
        {
            var sql = request.Statement ?? "";
            var statements = SqlText.Split(sql);
            var desired = int.TryParse(request.Parameter("MULTI_STATEMENT_COUNT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 1;
            if (desired != 0 && desired != statements.Count)
            {
                throw new SnowflakeErrorException(SnowflakeError.StatementCountMismatch(statements.Count, desired));
            }

            if (statements.Count == 1)
            {
                RejectUnsupported(statements[0], alone: true);
            }

            var database = request.Database ?? SqlText.FindDatabase(sql) ?? _defaultDatabase;
            await using var connection = await OpenAsync(database, token);
            await _reader.GrantMissingAsync(connection, database, token);
            await ConfigureSessionAsync(connection, request, _options.TimeZone, token);
            if (request.Parameter("QUERY_TAG") is { Length: > 0 } queryTag)
            {
                _stats.QueryTags.TryAdd(queryTag, 0);
            }


            StatementResult result;
            if (statements.Count == 1 && desired != 0)
            {
                result = await RunOneAsync(connection, statement.Handle, statements[0], request, database, token);
            }
            else
            {
                result = await RunManyAsync(connection, statement, statements, request, database, token);
            }

            // Ends the read-only transaction; a statement that already ended it leaves only a warning.
            await using (var commit = new NpgsqlCommand("COMMIT", connection))
            {
                await commit.ExecuteNonQueryAsync(token);
            }

            Interlocked.Increment(ref _stats.StatementsExecuted);
            statement.Succeed(result);
        }
        catch (Exception error) when (token.IsCancellationRequested && error is OperationCanceledException or NpgsqlException)
        {
            Interlocked.Increment(ref _stats.StatementsCanceled);
            statement.Fail(statement.TimedOut ? SnowflakeError.Timeout(request.TimeoutSeconds ?? 0) : SnowflakeError.Canceled);
        }
        catch (SnowflakeErrorException error)
        {
            Interlocked.Increment(ref _stats.StatementsFailed);
            statement.Fail(error.Error);
        }
        catch (PostgresException error)
        {
            Interlocked.Increment(ref _stats.StatementsFailed);
            statement.Fail(PostgresErrorTranslator.Translate(error));
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Anything else still ends the statement, so no client polls a handle that never finishes.
            Interlocked.Increment(ref _stats.StatementsFailed);
            statement.Fail(new SnowflakeError(422, "000603", $"SQL execution internal error: {error.GetType().Name}: {error.Message}", "XX000"));
        }
    }

    private async Task<StatementResult> RunManyAsync(
        NpgsqlConnection connection, EmulatedStatement parent, IReadOnlyList<string> statements, StatementRequest request, string database, CancellationToken token)
    {
        var handles = new List<string>();
        foreach (var text in statements)
        {
            RejectUnsupported(text, alone: false);
            var child = new EmulatedStatement(Guid.NewGuid().ToString("D"));
            _registry.Add(child, byRequestId: false);
            handles.Add(child.Handle);
            try
            {
                child.Succeed(await RunOneAsync(connection, child.Handle, text, request with { Bindings = [] }, database, token));
            }
            catch (PostgresException error) when (!token.IsCancellationRequested)
            {
                child.Fail(PostgresErrorTranslator.Translate(error));
                throw;
            }
        }

        var column = new ResultColumn
        {
            Name = "multiple statement execution", Type = "text", Kind = ValueKind.Text, Nullable = false,
            Length = ColumnTypeMapper.ComputedTextLength, ByteLength = ColumnTypeMapper.ComputedTextLength,
        };
        using var writer = NewWriter([column], parent.Handle, request.NullAsString);
        writer.AppendRow(_ => "Multiple statements executed successfully.");
        return writer.Complete(childHandles: handles);
    }

    private async Task<StatementResult> RunOneAsync(
        NpgsqlConnection connection, string handle, string text, StatementRequest request, string database, CancellationToken token)
    {
        if (DescribeTableStatement.TableOf(text) is { } described)
        {
            return await DescribeTableAsync(connection, handle, described, request.NullAsString, database, token);
        }

        var timestampMapping = request.Parameter("TIMESTAMP_TYPE_MAPPING") ?? _options.TimestampTypeMapping;
        if (UnloadStatement.IsUnload(text))
        {
            var unload = UnloadStatement.Parse(text);
            var unloader = new AzureUnloader(_storage.AzureBlobEndpoint, _spillDirectory, columns => NewWriter(columns, handle, request.NullAsString));
            return await unloader.RunAsync(connection, unload, SqlText.RewriteForPostgres(unload.Query, hasBindings: false, timestampMapping), database, token);
        }

        var sql = SqlText.RewriteForPostgres(text, request.Bindings.Count > 0, timestampMapping);
        await using var command = new NpgsqlCommand(sql, connection)
        {
            // Text results keep every digit of NUMBER(38,0) and give fixed, parseable forms for dates and times.
            AllResultTypesAreUnknown = true,
            CommandTimeout = 0,
        };
        foreach (var binding in request.Bindings)
        {
            command.Parameters.Add(ToParameter(binding));
        }

        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.KeyInfo, token);
        if (reader.FieldCount == 0)
        {
            await reader.CloseAsync();
            return CountResult(handle, SqlText.FirstKeyword(text), reader.RecordsAffected, request.NullAsString);
        }

        var schema = await reader.GetColumnSchemaAsync(token);
        var columns = schema.Cast<Npgsql.Schema.NpgsqlDbColumn>().Select(c => ColumnTypeMapper.Map(c, database)).ToArray();
        using var writer = NewWriter(columns, handle, request.NullAsString);
        var valueBytes = new byte[4096];
        while (await reader.ReadAsync(token))
        {
            CopyRow(reader, writer, ref valueBytes);
        }

        return writer.Complete();
    }

    /// <summary>
    /// Hands each value's PostgreSQL text to the writer as the UTF-8 bytes the server sent, read into
    /// <paramref name="text"/> (grown for a longer value), so no value becomes a string on its way.
    /// </summary>
    private static void CopyRow(NpgsqlDataReader reader, ResultWriter writer, ref byte[] text)
    {
        writer.StartRow();
        var fields = reader.FieldCount;
        for (var i = 0; i < fields; i++)
        {
            if (reader.IsDBNull(i))
            {
                writer.AppendNull();
                continue;
            }

            var length = (int)reader.GetBytes(i, 0, text, 0, text.Length);
            if (length == text.Length && reader.GetBytes(i, 0, null, 0, 0) is var full && full > length)
            {
                text = new byte[Math.Max(full, text.Length * 2L)];
                length = (int)reader.GetBytes(i, 0, text, 0, text.Length);
            }

            writer.AppendValue(text.AsSpan(0, length));
        }

        writer.EndRow();
    }

    /// <summary>DESCRIBE TABLE: the table's columns by the rowType's own mapping, one row each.</summary>
    private async Task<StatementResult> DescribeTableAsync(
        NpgsqlConnection connection, string handle, string table, bool nullAsString, string database, CancellationToken token)
    {
        await using var command = new NpgsqlCommand(DescribeTableStatement.ColumnsQuery(table), connection);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.KeyInfo, token);
        var schema = await reader.GetColumnSchemaAsync(token);
        using var writer = NewWriter(DescribeTableStatement.Columns, handle, nullAsString);
        foreach (var column in schema.Cast<Npgsql.Schema.NpgsqlDbColumn>().Select(c => ColumnTypeMapper.Map(c, database)))
        {
            var row = DescribeTableStatement.Row(column);
            writer.AppendRow(i => row[i]);
        }

        return writer.Complete();
    }

    /// <summary>DML answers with a row of counts and <c>stats</c>; other statements with a status row.</summary>
    private StatementResult CountResult(string handle, string keyword, int affected, bool nullAsString)
    {
        var (columnName, stats) = keyword switch
        {
            "INSERT" => ("number of rows inserted", new DmlStats(affected, 0, 0)),
            "UPDATE" => ("number of rows updated", new DmlStats(0, 0, affected)),
            "DELETE" => ("number of rows deleted", new DmlStats(0, affected, 0)),
            _ => ((string?)null, (DmlStats?)null),
        };

        if (columnName is null)
        {
            var status = new ResultColumn
            {
                Name = "status", Type = "text", Kind = ValueKind.Text,
                Length = ColumnTypeMapper.DefaultTextLength, ByteLength = ColumnTypeMapper.DefaultTextLength,
            };
            using var statusWriter = NewWriter([status], handle, nullAsString);
            statusWriter.AppendRow(_ => "Statement executed successfully.");
            return statusWriter.Complete();
        }

        var column = new ResultColumn { Name = columnName, Type = "fixed", Kind = ValueKind.Fixed, Precision = 19, Scale = 0, Nullable = false };
        using var writer = NewWriter([column], handle, nullAsString);
        writer.AppendRow(_ => Math.Max(0, affected).ToString(CultureInfo.InvariantCulture));
        return writer.Complete(affected > 0 ? stats : null);
    }

    private ResultWriter NewWriter(IReadOnlyList<ResultColumn> columns, string handle, bool nullAsString) =>
        new(columns, _options.PartitionRows, _options.PartitionMaxBytes, _spillDirectory, handle, nullAsString, _options.GrowingPartitions);

    private static void RejectUnsupported(string statement, bool alone)
    {
        var keyword = SqlText.FirstKeyword(statement);
        if (keyword is "PUT" or "GET")
        {
            throw new SnowflakeErrorException(SnowflakeError.NotSupported(keyword));
        }

        if (alone && keyword is "USE" or "BEGIN" or "START" or "COMMIT" or "ROLLBACK" or "SET" or "UNSET"
            || alone && keyword == "ALTER" && statement.Contains("SESSION", StringComparison.OrdinalIgnoreCase))
        {
            throw new SnowflakeErrorException(SnowflakeError.NotSupported(keyword));
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken token)
    {
        var dataSource = _dataSources.GetOrAdd(database, name => new NpgsqlDataSourceBuilder(WithLargeReadBuffer(_reader.ConnectionString(name, ApplicationName))).Build());
        try
        {
            return await dataSource.OpenConnectionAsync(token);
        }
        catch (PostgresException error) when (error.SqlState == "3D000")
        {
            throw new SnowflakeErrorException(new SnowflakeError(422, "002003",
                $"SQL compilation error:\nDatabase '{database}' does not exist or not authorized. [PostgreSQL: create database \"{database}\" on the emulator's server]", "02000"));
        }
    }

    /// <summary>
    /// Results stream through the connection's read buffer: at Npgsql's default of 8 kB a 250-column row of
    /// 4.7 kB filled it twice, and each refill that waits for the server is a trip through the thread pool.
    /// </summary>
    private static string WithLargeReadBuffer(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { ReadBufferSize = ReadBufferBytes }.ConnectionString;

    /// <summary>
    /// Each request is its own session, in a read-only transaction (the session's default too, should a
    /// statement end that transaction): the request's TIMEZONE, else the account's (<see cref="EmulatorOptions.TimeZone"/>).
    /// </summary>
    private static async Task ConfigureSessionAsync(NpgsqlConnection connection, StatementRequest request, string accountTimeZone, CancellationToken token)
    {
        var timeZone = request.Parameter("TIMEZONE") ?? accountTimeZone;
        var setup = "BEGIN TRANSACTION READ ONLY; SET DateStyle TO 'ISO, YMD'; SET bytea_output TO 'hex'; SET extra_float_digits TO 1; "
            + $"SET TimeZone TO {QuoteLiteral(timeZone)};";
        if (!string.IsNullOrEmpty(request.Schema))
        {
            setup += $" SET search_path TO {QuoteIdentifier(request.Schema)}, public;";
        }

        await using var command = new NpgsqlCommand(setup, connection);
        await command.ExecuteNonQueryAsync(token);
    }

    private static NpgsqlParameter ToParameter(Binding binding)
    {
        if (binding.Value is null)
        {
            return new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown };
        }

        var value = binding.Value;
        var invariant = CultureInfo.InvariantCulture;
        return binding.Type switch
        {
            "FIXED" when decimal.TryParse(value, NumberStyles.Number, invariant, out var number) =>
                new NpgsqlParameter { Value = number, NpgsqlDbType = NpgsqlDbType.Numeric },
            "REAL" => new NpgsqlParameter { Value = double.Parse(value, NumberStyles.Float, invariant), NpgsqlDbType = NpgsqlDbType.Double },
            "BOOLEAN" => new NpgsqlParameter { Value = value is "true" or "TRUE" or "1", NpgsqlDbType = NpgsqlDbType.Boolean },
            "DATE" => new NpgsqlParameter { Value = DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(long.Parse(value, invariant))), NpgsqlDbType = NpgsqlDbType.Date },
            "TIME" => new NpgsqlParameter { Value = TimeSpan.FromTicks(long.Parse(value, invariant) / 100), NpgsqlDbType = NpgsqlDbType.Time },
            "TIMESTAMP_NTZ" => new NpgsqlParameter { Value = DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(long.Parse(value, invariant) / 100), DateTimeKind.Unspecified), NpgsqlDbType = NpgsqlDbType.Timestamp },
            "TIMESTAMP_LTZ" or "TIMESTAMP_TZ" => new NpgsqlParameter { Value = DateTime.UnixEpoch.AddTicks(long.Parse(value.Split(' ')[0], invariant) / 100), NpgsqlDbType = NpgsqlDbType.TimestampTz },
            "BINARY" => new NpgsqlParameter { Value = Convert.FromHexString(value), NpgsqlDbType = NpgsqlDbType.Bytea },
            "VARIANT" or "OBJECT" or "ARRAY" => throw new SnowflakeErrorException(new SnowflakeError(422, "002040", $"SQL compilation error:\nUnsupported data type '{binding.Type}'.", "42601")),
            _ => new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Unknown },
        };
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string QuoteLiteral(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources.Values)
        {
            await dataSource.DisposeAsync();
        }

        _dataSources.Clear();
    }
}
