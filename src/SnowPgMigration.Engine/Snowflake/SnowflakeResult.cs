using System.Globalization;
using System.Runtime.CompilerServices;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// The result of one statement: its columns, known at once (also for zero rows), and its rows,
/// streamed partition by partition. While one partition is read the next two are fetched, so at
/// most three partitions are in memory whatever the result's size, each as its JSON bytes in a pooled
/// buffer given back once its rows are read: rows are parsed and decoded one at a time as they are read.
/// </summary>
public sealed class SnowflakeResult
{
    private readonly IReadOnlyList<long> _partitionRowCounts;
    private readonly Func<int, CancellationToken, Task<SnowflakePartitionRows>> _fetchPartition;
    private readonly SnowflakeCharsDecoder?[] _charDecoders;
    private readonly Func<string, object>[] _textDecoders;
    /// <summary>
    /// Partitions fetched while one is read, as Snowflake's drivers do: a fetch's latency hides behind
    /// the reading, and memory stays bounded at this many partitions plus the one being read.
    /// </summary>
    private const int PartitionsAhead = 2;

    private SnowflakePartitionRows? _firstPartition;
    private int _reading;

    internal SnowflakeResult(
        string statementHandle,
        IReadOnlyList<SnowflakeColumn> columns,
        long totalRowCount,
        IReadOnlyList<long> partitionRowCounts,
        SnowflakePartitionRows firstPartition,
        IReadOnlyList<string> childStatementHandles,
        Func<int, CancellationToken, Task<SnowflakePartitionRows>> fetchPartition)
    {
        StatementHandle = statementHandle;
        Columns = columns;
        TotalRowCount = totalRowCount;
        _partitionRowCounts = partitionRowCounts;
        _firstPartition = firstPartition;
        ChildStatementHandles = childStatementHandles;
        _fetchPartition = fetchPartition;
        _charDecoders = columns.Select(SnowflakeValueDecoder.ForChars).ToArray();
        _textDecoders = columns.Select(SnowflakeValueDecoder.ForText).ToArray();
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
        await foreach (var row in ReadDecodedRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToValues();
        }
    }

    /// <summary>
    /// Streams the rows decoded into one reused <see cref="SnowflakeRow"/>, valid until the next is read:
    /// a caller that writes each row on, as the loader does, boxes no value and allocates no array per row.
    /// </summary>
    internal async IAsyncEnumerable<SnowflakeRow> ReadDecodedRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException($"The rows of statement {StatementHandle} have already been read; execute the statement again to read them again.");
        }

        using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ahead = new Queue<Task<SnowflakePartitionRows>>(PartitionsAhead);
        var requested = 1;
        var current = _firstPartition ?? SnowflakePartitionRows.Empty;
        var row = new SnowflakeRow(Columns.Count);
        _firstPartition = null;
        try
        {
            for (var partition = 0; partition < PartitionCount; partition++)
            {
                if (partition > 0)
                {
                    // Disposing twice (here, then in finally if the fetch fails) gives the buffer back once.
                    current.Dispose();
                    current = await ahead.Dequeue().ConfigureAwait(false);
                }

                while (requested < PartitionCount && ahead.Count < PartitionsAhead)
                {
                    ahead.Enqueue(_fetchPartition(requested++, prefetch.Token));
                }

                var rows = new SnowflakeRowReader(current.Rows, Columns, _charDecoders, _textDecoders, StatementHandle);
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!rows.ReadRow(row))
                    {
                        break;
                    }

                    if (rows.RowsRead > _partitionRowCounts[partition])
                    {
                        // Too many rows: fail before handing out one the metadata did not announce.
                        ThrowRowCountMismatch(partition, CountAll(rows));
                    }

                    yield return row;
                }

                if (rows.RowsRead != _partitionRowCounts[partition])
                {
                    ThrowRowCountMismatch(partition, rows.RowsRead);
                }
            }
        }
        finally
        {
            // Only the row last yielded points into a partition's buffer, and it is not read past this point.
            current.Dispose();
            if (ahead.Count > 0)
            {
                await prefetch.CancelAsync().ConfigureAwait(false);
                foreach (var abandoned in ahead)
                {
                    try
                    {
                        (await abandoned.ConfigureAwait(false)).Dispose();
                    }
                    catch (Exception)
                    {
                        // The caller stopped reading; a failure of an abandoned prefetch is of no interest.
                    }
                }
            }
        }
    }

    private static int CountAll(SnowflakeRowReader rows)
    {
        while (rows.ReadRow() is not null)
        {
        }

        return rows.RowsRead;
    }

    private void ThrowRowCountMismatch(int partition, int actual)
    {
        var expected = _partitionRowCounts[partition];
        throw SnowflakeErrors.InvalidResponse(
            string.Create(CultureInfo.InvariantCulture, $"Partition {partition} of the Snowflake result held {actual} rows, but the result metadata announced {expected}"),
            StatementHandle);
    }
}
