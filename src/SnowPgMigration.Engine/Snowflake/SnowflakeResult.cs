using System.Globalization;
using System.Runtime.CompilerServices;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// The result of one statement: its columns, known at once (also for zero rows), and its rows,
/// streamed partition by partition. While one partition is read the next is fetched, so at most
/// two partitions are in memory whatever the result's size.
/// </summary>
public sealed class SnowflakeResult
{
    private readonly IReadOnlyList<long> _partitionRowCounts;
    private readonly Func<int, CancellationToken, Task<List<string?[]>>> _fetchPartition;
    private readonly Func<string, object>[] _decoders;
    private List<string?[]>? _firstPartition;
    private int _reading;

    internal SnowflakeResult(
        string statementHandle,
        IReadOnlyList<SnowflakeColumn> columns,
        long totalRowCount,
        IReadOnlyList<long> partitionRowCounts,
        List<string?[]> firstPartition,
        IReadOnlyList<string> childStatementHandles,
        Func<int, CancellationToken, Task<List<string?[]>>> fetchPartition)
    {
        StatementHandle = statementHandle;
        Columns = columns;
        TotalRowCount = totalRowCount;
        _partitionRowCounts = partitionRowCounts;
        _firstPartition = firstPartition;
        ChildStatementHandles = childStatementHandles;
        _fetchPartition = fetchPartition;
        _decoders = columns.Select(SnowflakeValueDecoder.For).ToArray();
    }

    /// <summary>The statement handle (Snowflake query id).</summary>
    public string StatementHandle { get; }

    public IReadOnlyList<SnowflakeColumn> Columns { get; }

    /// <summary>Rows in the whole result (<c>numRows</c>).</summary>
    public long TotalRowCount { get; }

    /// <summary>How many partitions the rows come in.</summary>
    public int PartitionCount => _partitionRowCounts.Count;

    /// <summary>The handles of each statement of a multi-statement request; empty otherwise.</summary>
    public IReadOnlyList<string> ChildStatementHandles { get; }

    /// <summary>
    /// Streams the rows as .NET values (see <see cref="SnowflakeColumn"/> for the types). Each row
    /// is a new array. The rows can be read once; stopping early abandons the remaining partitions.
    /// </summary>
    public async IAsyncEnumerable<object?[]> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException($"The rows of statement {StatementHandle} have already been read; execute the statement again to read them again.");
        }

        using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<List<string?[]>>? next = null;
        try
        {
            var current = _firstPartition!;
            _firstPartition = null;
            for (var partition = 0; partition < PartitionCount; partition++)
            {
                if (partition > 0)
                {
                    current = await next!.ConfigureAwait(false);
                    next = null;
                }

                CheckRowCount(partition, current.Count);
                if (partition + 1 < PartitionCount)
                {
                    next = _fetchPartition(partition + 1, prefetch.Token);
                }

                foreach (var raw in current)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return Decode(raw);
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                await prefetch.CancelAsync().ConfigureAwait(false);
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The caller stopped reading; a failure of the abandoned prefetch is of no interest.
                }
            }
        }
    }

    private void CheckRowCount(int partition, int actual)
    {
        var expected = _partitionRowCounts[partition];
        if (actual != expected)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"Partition {partition} of the Snowflake result held {actual} rows, but the result metadata announced {expected}"),
                StatementHandle);
        }
    }

    private object?[] Decode(string?[] raw)
    {
        if (raw.Length != _decoders.Length)
        {
            throw SnowflakeErrors.InvalidResponse(
                string.Create(CultureInfo.InvariantCulture, $"A Snowflake result row has {raw.Length} values for {_decoders.Length} columns"),
                StatementHandle);
        }

        var row = new object?[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] is { } text)
            {
                try
                {
                    row[i] = _decoders[i](text);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
                {
                    var column = Columns[i];
                    var shown = text.Length > 40 ? text[..40] + "..." : text;
                    throw SnowflakeErrors.InvalidResponse(
                        $"Column {column.Name} ({column.TypeName}) holds '{shown}', which is not the SQL API's default encoding of that type: {ex.Message}",
                        StatementHandle,
                        ex);
                }
            }
        }

        return row;
    }
}
