using System.Diagnostics;
using System.Globalization;
using Npgsql;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Verification;

/// <summary>How far a keyed comparison splits and how much it reports.</summary>
public sealed record KeyedComparisonOptions
{
    /// <summary>Keys reported per kind (missing, extra, changed) and range.</summary>
    public int SampleKeys { get; init; } = DefaultSampleKeys;

    public const int DefaultSampleKeys = 10;

    /// <summary>A range with more rows than this on either side is split in halves before its rows are streamed.</summary>
    public long LeafRows { get; init; } = 50_000;

    /// <summary>
    /// Optional proof that a range is equal without streaming its rows (the range verdicts' count and
    /// checksum per side). Without it, only counts are pushed into the databases, and a range whose counts
    /// agree is still merged row by row: equal counts do not prove equal rows.
    /// </summary>
    public Func<KeyedRange, CancellationToken, Task<bool>>? ChecksumsAgree { get; init; }

    /// <summary>
    /// Takes equal counts as equal ranges, for a count-level verdict (<c>verify: counts</c>): only ranges whose
    /// counts differ are split and streamed, so changed values in a range of equal counts go unseen.
    /// </summary>
    public bool CountsProveEqual { get; init; }
}

/// <summary>
/// Deep comparison of a table's target with its source, down to keys. Per range, both sides stream in one key
/// order (ORDER BY the uniqueness columns, text byte-wise on both sides) the key and a hash of the row's canonical
/// values (<see cref="RowChecksum.HashRow"/> over the load's conversions: exact numbers, floats to the bit,
/// instants, canonical JSON, bytes), and a merge join counts rows only the source has (missing), only the target
/// has (extra), and rows whose hash differs under the same key (changed). Memory stays flat. A table without
/// uniqueness_columns is keyed by its row hash: a range's source hashes are held as a multiset (memory grows with
/// the range, never the table), and a changed row shows as one missing and one extra.
/// </summary>
/// <remarks>
/// Bisection: a range whose row counts differ (counted in both databases, no rows travel) and that holds more than
/// <see cref="KeyedComparisonOptions.LeafRows"/> rows is split at the median of its first key column, the halves
/// counted, and only halves that still differ (or cannot be proven equal) are streamed.
/// </remarks>
public sealed class KeyedComparison(KeyedTable table, KeyedComparisonOptions? options = null)
{
    private const int MaxDepth = 40;
    private const int MaxRenderedRow = 200;

    private readonly KeyedComparisonOptions _options = options ?? new KeyedComparisonOptions();
    private long _rowsCompared;

    /// <summary>Compares the whole table (its scope on the source) with the target.</summary>
    public Task<KeyedComparisonResult> CompareTableAsync(CancellationToken cancellationToken) =>
        CompareAsync([KeyedRange.WholeTable(table)], cancellationToken);

    /// <summary>Compares ranges (typically the differing ranges of a count or checksum verdict), bisecting large ones.</summary>
    public async Task<KeyedComparisonResult> CompareAsync(IReadOnlyList<KeyedRange> ranges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var clock = Stopwatch.StartNew();
        var found = new List<KeyedRangeDifference>();
        foreach (var range in ranges)
        {
            var sourceRows = await table.SourceCountAsync(range.SourcePredicate, cancellationToken).ConfigureAwait(false);
            var targetRows = await table.TargetCountAsync(range, cancellationToken).ConfigureAwait(false);
            await ExploreAsync(range, sourceRows, targetRows, 0, found, cancellationToken).ConfigureAwait(false);
        }

        return new KeyedComparisonResult
        {
            Table = table.Name,
            Key = table.HasKey ? string.Join(", ", table.KeyNames) : "row hash",
            Ranges = found,
            RowsCompared = Interlocked.Read(ref _rowsCompared),
            Elapsed = clock.Elapsed,
        };
    }

    private async Task ExploreAsync(KeyedRange range, long sourceRows, long targetRows, int depth, List<KeyedRangeDifference> found, CancellationToken cancellationToken)
    {
        if (sourceRows == 0 && targetRows == 0)
        {
            return;
        }

        if (sourceRows == targetRows && depth > 0 && _options.CountsProveEqual)
        {
            return;
        }

        if (sourceRows == targetRows && _options.ChecksumsAgree is { } agree && await agree(range, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // Halves are only worth counting when counts (or checksums) can tell some of them equal.
        var worthSplitting = table.HasKey && depth < MaxDepth && Math.Max(sourceRows, targetRows) > _options.LeafRows
                             && (sourceRows != targetRows || _options.ChecksumsAgree is not null || _options.CountsProveEqual);
        var halves = worthSplitting ? await SplitAsync(range, sourceRows, targetRows, cancellationToken).ConfigureAwait(false) : null;
        if (halves is not { } split)
        {
            var difference = await CompareRangeAsync(range, sourceRows, targetRows, cancellationToken).ConfigureAwait(false);
            if (difference.Differs)
            {
                found.Add(difference);
            }

            return;
        }

        await ExploreAsync(split.Below, split.SourceBelow, split.TargetBelow, depth + 1, found, cancellationToken).ConfigureAwait(false);
        await ExploreAsync(split.Above, sourceRows - split.SourceBelow, targetRows - split.TargetBelow, depth + 1, found, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams one range's rows from both sides and merges them; the row counts are those already counted, for the report.</summary>
    public async Task<KeyedRangeDifference> CompareRangeAsync(KeyedRange range, long sourceRows, long targetRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var tally = table.HasKey
            ? await MergeAsync(range, cancellationToken).ConfigureAwait(false)
            : await MultisetAsync(range, cancellationToken).ConfigureAwait(false);
        return new KeyedRangeDifference
        {
            Predicate = range.SourcePredicate,
            TargetPredicate = range.TargetPredicate,
            SourceRows = sourceRows,
            TargetRows = targetRows,
            Missing = tally.Missing.Count,
            Extra = tally.Extra.Count,
            Changed = tally.Changed.Count,
            MissingKeys = tally.Missing.Samples,
            ExtraKeys = tally.Extra.Samples,
            ChangedKeys = tally.Changed.Samples,
        };
    }

    private async Task<Tally> MergeAsync(KeyedRange range, CancellationToken cancellationToken)
    {
        var tally = new Tally(_options.SampleKeys);
        var source = KeyedPrefetch.ReadAheadAsync(table.SourceRowsAsync(range.SourcePredicate, keysOnly: false, cancellationToken), cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        await using (source.ConfigureAwait(false))
        {
            var target = KeyedPrefetch.ReadAheadAsync(table.TargetRowsAsync(range, keysOnly: false, cancellationToken), cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            await using (target.ConfigureAwait(false))
            {
                var sourceSide = new KeyedMergeSide(table, "source", source);
                var targetSide = new KeyedMergeSide(table, "target", target);
                await sourceSide.NextAsync().ConfigureAwait(false);
                await targetSide.NextAsync().ConfigureAwait(false);
                while (sourceSide.Row is not null || targetSide.Row is not null)
                {
                    var order = targetSide.Row is null ? -1
                        : sourceSide.Row is null ? 1
                        : KeyedValueOrder.Compare(sourceSide.KeyValues, targetSide.KeyValues);
                    if (order < 0)
                    {
                        tally.Missing.Add(() => RenderKey(sourceSide.Row!));
                        await sourceSide.NextAsync().ConfigureAwait(false);
                    }
                    else if (order > 0)
                    {
                        tally.Extra.Add(() => RenderKey(targetSide.Row!));
                        await targetSide.NextAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        if (sourceSide.Hash != targetSide.Hash)
                        {
                            tally.Changed.Add(() => RenderKey(sourceSide.Row!));
                        }

                        await sourceSide.NextAsync().ConfigureAwait(false);
                        await targetSide.NextAsync().ConfigureAwait(false);
                    }
                }

                Interlocked.Add(ref _rowsCompared, sourceSide.Rows + targetSide.Rows);
            }
        }

        return tally;
    }

    /// <summary>Rows without a key: the source's row hashes as a multiset, the target's matched against it.</summary>
    private async Task<Tally> MultisetAsync(KeyedRange range, CancellationToken cancellationToken)
    {
        var tally = new Tally(_options.SampleKeys);
        var pending = new Dictionary<ulong, (long Count, object?[] Row)>();
        long rows = 0;
        await foreach (var row in table.SourceRowsAsync(range.SourcePredicate, keysOnly: false, cancellationToken).ConfigureAwait(false))
        {
            var hash = RowChecksum.HashRow(row);
            pending[hash] = pending.TryGetValue(hash, out var seen) ? (seen.Count + 1, seen.Row) : (1, row);
            rows++;
        }

        await foreach (var row in table.TargetRowsAsync(range, keysOnly: false, cancellationToken).ConfigureAwait(false))
        {
            var hash = RowChecksum.HashRow(row);
            if (pending.TryGetValue(hash, out var seen) && seen.Count > 0)
            {
                pending[hash] = (seen.Count - 1, seen.Row);
            }
            else
            {
                tally.Extra.Add(() => RenderRow(row));
            }

            rows++;
        }

        foreach (var (_, (count, row)) in pending)
        {
            for (var i = 0; i < count; i++)
            {
                tally.Missing.Add(() => RenderRow(row));
            }
        }

        Interlocked.Add(ref _rowsCompared, rows);
        return tally;
    }

    /// <summary>The range cut at the median of its first key column, with the rows below the cut on each side; null when no cut divides it.</summary>
    private async Task<(KeyedRange Below, KeyedRange Above, long SourceBelow, long TargetBelow)?> SplitAsync(
        KeyedRange range, long sourceRows, long targetRows, CancellationToken cancellationToken)
    {
        var keyIndex = table.KeyIndexes[0];
        var conversion = table.Conversions[keyIndex];
        var sourceKey = SnowflakeIdentifier.Quote(table.SourceColumns[keyIndex]);
        var targetKey = KeyedTable.OrderedKey(conversion.Column);
        // The target's key is normally indexed, so its median is cheap to find: use it unless the target holds too few of the rows.
        var median = targetRows * 2 >= sourceRows
            ? await TargetMedianAsync(range, targetKey, conversion, targetRows / 2, cancellationToken).ConfigureAwait(false)
            : await SourceMedianAsync(range, sourceKey, conversion, sourceRows / 2, cancellationToken).ConfigureAwait(false);
        if (median is not { } cut)
        {
            return null;
        }

        var (below, above) = range.Split(sourceKey, targetKey, cut.Literal, cut.Text);
        var sourceBelow = await table.SourceCountAsync(below.SourcePredicate, cancellationToken).ConfigureAwait(false);
        var targetBelow = await table.TargetCountAsync(below, cancellationToken).ConfigureAwait(false);
        var divides = (sourceBelow > 0 || targetBelow > 0) && (sourceBelow < sourceRows || targetBelow < targetRows);
        return divides ? (below, above, sourceBelow, targetBelow) : null;
    }

    private async Task<(string Literal, string Text)?> TargetMedianAsync(
        KeyedRange range, string targetKey, Postgres.ColumnConversion conversion, long offset, CancellationToken cancellationToken)
    {
        var connection = await table.Target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var column = PgIdentifier.Quote(conversion.Column.Name);
            using var command = new NpgsqlCommand(
                $"SELECT {column}::text AS sfpg_text, {TableVerifier.ReadExpression(conversion)} AS sfpg_value FROM {table.TargetQuoted} WHERE {range.TargetPredicate} " +
                $"ORDER BY {targetKey} ASC NULLS LAST LIMIT 1 OFFSET {offset.ToString(CultureInfo.InvariantCulture)}",
                connection) { CommandTimeout = 0 };
            range.Bind(command.Parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.IsDBNull(0))
                {
                    return null;
                }

                var literal = Literal(TableVerifier.Read(reader, 1, conversion.DbType));
                return literal is null ? null : (literal, reader.GetString(0));
            }
        }
    }

    private async Task<(string Literal, string Text)?> SourceMedianAsync(
        KeyedRange range, string sourceKey, Postgres.ColumnConversion conversion, long offset, CancellationToken cancellationToken)
    {
        var sql = SnowflakeSql.Select(table.SourceTable, [table.SourceColumns[table.KeyIndexes[0]]], range.SourcePredicate)
                  + $" ORDER BY {sourceKey} ASC NULLS LAST LIMIT 1 OFFSET {offset.ToString(CultureInfo.InvariantCulture)}";
        await foreach (var row in table.Source.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            if (row[0] is not { } value || Literal(value) is not { } literal || ChunkBoundValue.Write(conversion.Convert(value)) is not { } text)
            {
                return null;
            }

            return (literal, text);
        }

        return null;
    }

    /// <summary>A key value as a Snowflake literal; null for a type no literal is written for (the range is then not split).</summary>
    private static string? Literal(object value)
    {
        try
        {
            return SnowflakeSql.Literal(value);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private string RenderKey(object?[] row) =>
        string.Join(", ", table.KeyIndexes.Select(i => $"{table.Conversions[i].Column.Name}={KeyedValueOrder.Render(row[i])}"));

    private static string RenderRow(object?[] row)
    {
        var text = "(" + string.Join(", ", row.Select(KeyedValueOrder.Render)) + ")";
        return text.Length <= MaxRenderedRow ? text : text[..MaxRenderedRow] + "...)";
    }

    /// <summary>Counts of one kind of difference with its first keys, rendered only while samples are wanted.</summary>
    private sealed class Kind(int samples)
    {
        private readonly List<string> _samples = [];

        public long Count { get; private set; }

        public IReadOnlyList<string> Samples => _samples;

        public void Add(Func<string> render)
        {
            Count++;
            if (_samples.Count < samples)
            {
                _samples.Add(render());
            }
        }
    }

    private sealed class Tally(int samples)
    {
        public Kind Missing { get; } = new(samples);

        public Kind Extra { get; } = new(samples);

        public Kind Changed { get; } = new(samples);
    }
}
