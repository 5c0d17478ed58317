using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// A client of Snowflake's SQL API v2: submits statements, waits for them, streams their rows,
/// and cancels them on the server when the caller gives up. Thread-safe; one per source account.
/// </summary>
/// <remarks>
/// A statement is submitted with a fresh <c>requestId</c>; a resubmission after a transport
/// failure reuses it with <c>retry=true</c>, so Snowflake does not run it twice.
/// </remarks>
public sealed class SnowflakeClient : IAsyncDisposable, IDisposable
{
    private const string StatementsPath = "/api/v2/statements";

    /// <summary>How long a submission the caller abandoned may still run, to learn the handle to cancel.</summary>
    private static readonly TimeSpan AbandonedSubmitBudget = TimeSpan.FromSeconds(30);

    private readonly SnowflakeSettings _settings;
    private readonly SnowflakeClientOptions _options;
    private readonly SnowflakeHttpTransport _transport;
    private readonly ILogger _logger;

    private SnowflakeClient(SnowflakeSettings settings, SnowflakeClientOptions options)
    {
        _settings = settings;
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        var baseAddress = SnowflakeAccount.BaseAddress(settings);
        var tokens = SnowflakeTokenSource.Create(settings, options.TimeProvider);
        _transport = new SnowflakeHttpTransport(baseAddress, tokens, options);
    }

    /// <summary>
    /// Creates a client from the config's <c>snowflake</c> block. Fails with SFPG3008/SFPG3009 when
    /// the key cannot be loaded or the settings are incomplete; nothing is sent yet.
    /// </summary>
    public static SnowflakeClient Create(SnowflakeSettings settings, SnowflakeClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SnowflakeClient(settings, options ?? new SnowflakeClientOptions());
    }

    /// <summary>Where requests go, e.g. <c>https://myorg-myaccount.snowflakecomputing.com/</c>.</summary>
    public Uri BaseAddress => _transport.BaseAddress;

    public SnowflakeAuthentication Authentication => _transport.Tokens.Authentication;

    /// <summary>
    /// Runs a statement and returns its result once Snowflake has finished it; rows are then read
    /// with <see cref="SnowflakeResult.ReadRowsAsync"/>. Canceling <paramref name="cancellationToken"/>
    /// while the statement runs cancels it on the server too.
    /// </summary>
    /// <exception cref="SnowflakeException">The statement failed, timed out or was canceled, or Snowflake could not be reached.</exception>
    public async Task<SnowflakeResult> ExecuteAsync(SnowflakeStatement statement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var requestId = Guid.NewGuid();
        var body = SerializeRequest(statement);
        var query = "?requestId=" + requestId.ToString("D") + (_options.SubmitAsynchronously ? "&async=true" : string.Empty);
        var response = await SubmitAsync(StatementsPath + query, body, cancellationToken).ConfigureAwait(false);

        string? handle = null;
        var pollDelay = _options.PollInitialDelay;
        try
        {
            while (true)
            {
                if (response.Status == HttpStatusCode.OK)
                {
                    return ToResult(response, handle);
                }

                if (response.Status != HttpStatusCode.Accepted)
                {
                    throw SnowflakeErrors.FromResponse(response, _transport.Tokens, handle);
                }

                var running = Parse(response, handle);
                if (string.IsNullOrEmpty(running.StatementHandle))
                {
                    throw SnowflakeErrors.InvalidResponse("Snowflake answered 202 (still running) without a statement handle", handle);
                }

                if (handle is null)
                {
                    SnowflakeLog.StatementSubmitted(_logger, running.StatementHandle, requestId);
                }

                handle = running.StatementHandle;
                await Task.Delay(pollDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                pollDelay = TimeSpan.FromTicks(Math.Min(pollDelay.Ticks * 2, _options.PollMaxDelay.Ticks));
                response = await _transport.SendAsync(HttpMethod.Get, StatusPath(running, handle), null, markRetries: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && handle is not null)
        {
            await CancelQuietlyAsync(handle).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The columns of a table, from the metadata of a zero-row <c>SELECT *</c> (names, Snowflake
    /// types, precision, scale, length, nullability). A missing table fails with SFPG3002 and
    /// Snowflake's code 002003.
    /// </summary>
    public async Task<IReadOnlyList<SnowflakeColumn>> DescribeTableAsync(SnowflakeTableName table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var statement = new SnowflakeStatement(SnowflakeSql.Describe(table)) { Database = table.Database, Schema = table.Schema };
        var result = await ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        return result.Columns;
    }

    /// <summary>Runs a statement and returns the first column of its first row (null for no row or NULL).</summary>
    public async Task<object?> QueryScalarAsync(SnowflakeStatement statement, CancellationToken cancellationToken = default)
    {
        var result = await ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        await foreach (var row in result.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            return row.Length == 0 ? null : row[0];
        }

        return null;
    }

    /// <summary>Like <see cref="QueryScalarAsync(SnowflakeStatement, CancellationToken)"/>, converted to <typeparamref name="T"/> (e.g. a COUNT as <see cref="long"/>).</summary>
    public async Task<T?> QueryScalarAsync<T>(SnowflakeStatement statement, CancellationToken cancellationToken = default)
    {
        var value = await QueryScalarAsync(statement, cancellationToken).ConfigureAwait(false);
        return value switch
        {
            null => default,
            T typed => typed,
            _ => (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Asks Snowflake to cancel a running statement; canceling a finished one is harmless.</summary>
    public async Task CancelAsync(string statementHandle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(statementHandle);
        var response = await _transport.SendAsync(HttpMethod.Post, StatementPath(statementHandle) + "/cancel", [], markRetries: false, cancellationToken).ConfigureAwait(false);
        if (response.Status != HttpStatusCode.OK)
        {
            throw SnowflakeErrors.FromResponse(response, _transport.Tokens, statementHandle);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _transport.Dispose();
        _transport.Tokens.Dispose();
    }

    private static string StatementPath(string handle) => StatementsPath + "/" + Uri.EscapeDataString(handle);

    /// <summary>The 202's <c>statementStatusUrl</c> when it is a v2 statement path, else the path built from the handle.</summary>
    private static string StatusPath(SnowflakeResponseBody running, string handle) =>
        running.StatementStatusUrl is { } url && url.StartsWith(StatementsPath + "/", StringComparison.Ordinal)
            ? url
            : StatementPath(handle);

    /// <summary>
    /// Submits a statement. If the caller gives up before the answer arrives, the statement may
    /// still start on the server, so the submission is left to finish in the background (within
    /// <see cref="AbandonedSubmitBudget"/>) and the statement it started is canceled.
    /// </summary>
    private async Task<SnowflakeHttpResponse> SubmitAsync(string pathAndQuery, byte[] body, CancellationToken cancellationToken)
    {
        var submitCancellation = new CancellationTokenSource();
        var submit = _transport.SendAsync(HttpMethod.Post, pathAndQuery, body, markRetries: true, submitCancellation.Token);
        var abandoned = false;
        try
        {
            return await submit.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            abandoned = true;
            submitCancellation.CancelAfter(AbandonedSubmitBudget);
            _ = CancelAbandonedSubmitAsync(submit, submitCancellation);
            throw;
        }
        finally
        {
            if (!abandoned)
            {
                submitCancellation.Dispose();
            }
        }
    }

    private async Task CancelAbandonedSubmitAsync(Task<SnowflakeHttpResponse> submit, CancellationTokenSource submitCancellation)
    {
        try
        {
            var response = await submit.ConfigureAwait(false);
            if (response.Status == HttpStatusCode.Accepted && SnowflakeResponseBody.TryParse(response.Body.Memory)?.StatementHandle is { Length: > 0 } handle)
            {
                await CancelQuietlyAsync(handle).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SnowflakeException or OperationCanceledException or HttpRequestException)
        {
            // The submission itself failed or ran out of budget: no statement to cancel that can be named.
        }
        finally
        {
            submitCancellation.Dispose();
        }
    }

    private SnowflakeResult ToResult(SnowflakeHttpResponse response, string? knownHandle)
    {
        var body = Parse(response, knownHandle);
        var handle = body.StatementHandle ?? knownHandle ?? string.Empty;
        if (body.Metadata?.RowType is not { } rowType)
        {
            throw SnowflakeErrors.InvalidResponse("A Snowflake result came without resultSetMetaData.rowType", handle);
        }

        var columns = rowType.Select((entry, i) => entry.ToColumn(i)).ToArray();
        // Partition 0 lies in this answer's pooled body; the result gives it back once those rows are read.
        var firstPartition = body.Data is { } data ? new SnowflakePartitionRows(data, response.Body) : SnowflakePartitionRows.Empty;
        IReadOnlyList<long> partitionRowCounts = body.Metadata.PartitionInfo is { Count: > 0 } partitions
            ? partitions.Select(p => p.RowCount).ToArray()
            : [body.DataRowCount];
        return new SnowflakeResult(
            handle,
            columns,
            body.Metadata.NumRows,
            partitionRowCounts,
            firstPartition,
            body.StatementHandles,
            (partition, ct) => FetchPartitionAsync(handle, partition, ct));
    }

    /// <summary>A later partition's <c>data</c> array as JSON bytes; the body is read whole first, so a cut answer is retried before any of its rows is read.</summary>
    private async Task<SnowflakePartitionRows> FetchPartitionAsync(string handle, int partition, CancellationToken cancellationToken)
    {
        var path = StatementPath(handle) + "?partition=" + partition.ToString(CultureInfo.InvariantCulture);
        var response = await _transport.SendAsync(HttpMethod.Get, path, null, markRetries: false, cancellationToken).ConfigureAwait(false);
        if (response.Status != HttpStatusCode.OK)
        {
            throw SnowflakeErrors.FromResponse(response, _transport.Tokens, handle);
        }

        ReadOnlyMemory<byte>? rows;
        try
        {
            rows = SnowflakeResponseBody.FindRows(response.Body.Memory);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"Snowflake answered HTTP {response.StatusCode} with a body that is not SQL API JSON: {ex.Message}"),
                handle,
                ex);
        }

        return rows is { } data
            ? new SnowflakePartitionRows(data, response.Body)
            : throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"Partition {partition} of a Snowflake result came without 'data'"), handle);
    }

    private static SnowflakeResponseBody Parse(SnowflakeHttpResponse response, string? handle)
    {
        try
        {
            return SnowflakeResponseBody.Parse(response.Body.Memory);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"Snowflake answered HTTP {response.StatusCode} with a body that is not SQL API JSON: {ex.Message}"),
                handle,
                ex);
        }
    }

    private async Task CancelQuietlyAsync(string handle)
    {
        // The caller's token is already canceled; the cancel request gets its own short budget.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await CancelAsync(handle, budget.Token).ConfigureAwait(false);
            SnowflakeLog.StatementCanceled(_logger, handle);
        }
        catch (Exception ex) when (ex is SnowflakeException or OperationCanceledException or HttpRequestException)
        {
            SnowflakeLog.StatementCancelFailed(_logger, handle, ex);
        }
    }

    private byte[] SerializeRequest(SnowflakeStatement statement)
    {
        foreach (var name in statement.Parameters.Keys)
        {
            if (name.EndsWith("_OUTPUT_FORMAT", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"Session parameter {name} changes the SQL API's value encodings, which the result decoder relies on; format values in SQL instead.",
                    nameof(statement));
            }
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("statement", statement.Sql);
            if ((statement.TimeoutSeconds ?? _settings.StatementTimeoutSeconds) is { } timeout)
            {
                json.WriteNumber("timeout", timeout);
            }

            WriteIfSet(json, "database", statement.Database);
            WriteIfSet(json, "schema", statement.Schema);
            WriteIfSet(json, "warehouse", statement.Warehouse ?? _settings.Warehouse);
            WriteIfSet(json, "role", statement.Role ?? _settings.Role);
            if (statement.Bindings.Count > 0)
            {
                json.WriteStartObject("bindings");
                for (var i = 0; i < statement.Bindings.Count; i++)
                {
                    var binding = statement.Bindings[i];
                    json.WriteStartObject((i + 1).ToString(CultureInfo.InvariantCulture));
                    json.WriteString("type", binding.Type);
                    json.WriteString("value", binding.Value);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteStartObject("parameters");
            foreach (var (name, value) in SnowflakeSessionParameters.For(statement.Parameters))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }
}
