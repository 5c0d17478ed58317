using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// Compares a table with its source range by range: a <c>COUNT</c> per range pushed into Snowflake (predicates rebuilt
/// from the ranges' bounds, source_filter included) and into PostgreSQL (the same ranges over the target's columns),
/// one statement per side for up to <see cref="RangesPerStatement"/> ranges, so no rows travel. With
/// <see cref="VerifyDepth.Checksums"/> the rows of every range are also streamed from both sides and checksummed
/// as <see cref="TableVerifier"/> does.
/// </summary>
/// <remarks>
/// The ranges are compared over the whole key space of the table's source_filter, never a run's watermark limit:
/// an upsert target holds the rows of earlier loads too, and they must still equal the source. When a range cannot be
/// found on the target (an offset page, a key column not copied) the table is compared as one range.
/// </remarks>
public sealed class RangeComparer(SnowflakeSource source, NpgsqlDataSource target)
{
    private const int RangesPerStatement = 100;

    public async Task<RangeComparison> CompareAsync(
        SourceConfig sourceConfig, TableConfig table, IReadOnlyList<RangeBounds> ranges, VerifyDepth depth, Guid? rangesFromRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceConfig);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(ranges);
        var clock = Stopwatch.StartNew();
        var sourceTable = new SnowflakeTableName(sourceConfig.SourceSfDatabase, sourceConfig.SourceSfSchema, table.Source);
        var columns = await TableColumns.ResolveAsync(source, target, sourceConfig, table, cancellationToken).ConfigureAwait(false);

        var conversions = columns.Conversions();
        var name = $"{sourceConfig.TargetPgSchema}.{table.Target}";
        var built = Build(table, name, ranges, columns.SourceColumns, conversions);
        var sourceCounts = await CountSourceAsync(sourceTable, built, cancellationToken).ConfigureAwait(false);
        var targetCounts = await CountTargetAsync(sourceConfig.TargetPgSchema, table.Target, TargetScope(table), built, cancellationToken).ConfigureAwait(false);

        var results = new List<RangeCount>(built.Count);
        for (var i = 0; i < built.Count; i++)
        {
            var range = built[i];
            string? sourceChecksum = null, targetChecksum = null;
            if (depth == VerifyDepth.Checksums)
            {
                var sourceSql = SnowflakeSql.Select(sourceTable, columns.SourceColumns, range.SourcePredicate);
                sourceChecksum = (await TableVerifier.ChecksumAsync(source.QueryAsync(sourceSql, cancellationToken), conversions, convert: true, cancellationToken)
                    .ConfigureAwait(false)).Checksum;
                var targetSql = $"SELECT {string.Join(", ", conversions.Select(TableVerifier.ReadExpression))} " +
                                $"FROM {PgIdentifier.Quote(sourceConfig.TargetPgSchema, table.Target)} WHERE {range.Target.Predicate} AND {TargetScope(table)}";
                targetChecksum = (await TableVerifier.ChecksumAsync(
                    TableVerifier.ReadTargetAsync(target, targetSql, conversions, range.Target.Bind, cancellationToken), conversions, convert: false, cancellationToken)
                    .ConfigureAwait(false)).Checksum;
            }

            results.Add(new RangeCount
            {
                RangeId = range.Bounds.RangeId,
                Bounds = range.Bounds,
                SourcePredicate = range.SourcePredicate,
                TargetPredicate = Readable(range),
                Lower = range.Lower,
                Upper = range.Upper,
                SourceRows = sourceCounts[i],
                TargetRows = targetCounts[i],
                SourceChecksum = sourceChecksum,
                TargetChecksum = targetChecksum,
            });
        }

        return new RangeComparison
        {
            SourceName = sourceConfig.SourceName,
            Table = name,
            TargetTable = table.Target,
            SourceTable = sourceTable.ToString(),
            Depth = depth,
            RangesFromRun = rangesFromRun,
            Ranges = results,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>A compared range as the keyed comparison reads it: its source predicate and its range on the target.</summary>
    /// <param name="all">Every range of the comparison (remainder ranges are bounded by their siblings).</param>
    public static KeyedRange KeyedRangeOf(KeyedTable table, RangeCount range, IReadOnlyList<RangeCount> all)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(all);
        var pairs = table.SourceColumns.Select((column, i) => (column, table.Conversions[i].Column)).ToList();
        var target = TargetChunkRange.For(
            table.Name, range.RangeId, range.Bounds.Strategy, range.Bounds.BoundsJson, all.Select(r => r.Bounds.BoundsJson), TargetChunkRange.ColumnResolver(pairs));
        return KeyedRange.FromChunk(range.SourcePredicate, target);
    }

    /// <summary>A range's bounds without the watermark limit a run's chunk may carry: the comparison covers the whole filtered table.</summary>
    public static RangeBounds WithoutWatermark(RangeBounds range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var bounds = ChunkBoundsJson.Read(range.BoundsJson);
        return bounds?.WatermarkColumn is null
            ? range
            : range with { BoundsJson = ChunkBoundsJson.Write(bounds with { WatermarkColumn = null, WatermarkFrom = null, WatermarkType = null }) };
    }

    private static List<BuiltRange> Build(
        TableConfig table, string name, IReadOnlyList<RangeBounds> ranges, IReadOnlyList<string> sourceColumns, IReadOnlyList<ColumnConversion> conversions)
    {
        var plain = ranges.Select(WithoutWatermark).ToList();
        var siblings = plain.Select(r => r.BoundsJson).ToList();
        var pairs = sourceColumns.Select((column, i) => (column, conversions[i].Column)).ToList();
        try
        {
            return plain.Select((range, i) =>
            {
                var bounds = ChunkBoundsJson.Read(range.BoundsJson);
                var prefix = string.Create(CultureInfo.InvariantCulture, $"range_{i}_");
                return new BuiltRange(
                    range,
                    ChunkSourcePredicate.For(table, range.RangeId, range.Strategy, range.BoundsJson, siblings),
                    TargetChunkRange.For(name, range.RangeId, range.Strategy, range.BoundsJson, siblings, TargetChunkRange.ColumnResolver(pairs), prefix),
                    bounds?.Values is null ? bounds?.Lower : null,
                    bounds?.Values is null ? bounds?.Upper : null) { ParameterPrefix = prefix };
            }).ToList();
        }
        catch (SfPgException ex) when (ex.Error == ErrorCatalog.ChunkReloadRangeUnavailable || ex.Error == ErrorCatalog.ChunkRangeNotOnTarget)
        {
            // No range can be found again on the target: compare the table whole.
            var whole = new RangeBounds(0, ChunkStrategy.SingleChunk.ToName(), null);
            return
            [
                new BuiltRange(
                    whole,
                    ChunkSourcePredicate.For(table, 0, whole.Strategy, null, [null]),
                    TargetChunkRange.For(name, 0, whole.Strategy, null, [null], _ => null, "range_0_"),
                    null,
                    null) { ParameterPrefix = "range_0_" },
            ];
        }
    }

    private async Task<long[]> CountSourceAsync(SnowflakeTableName table, IReadOnlyList<BuiltRange> ranges, CancellationToken cancellationToken)
    {
        var counts = new long[ranges.Count];
        for (var start = 0; start < ranges.Count; start += RangesPerStatement)
        {
            var batch = ranges.Skip(start).Take(RangesPerStatement).ToList();
            var sql = new StringBuilder("SELECT ");
            for (var i = 0; i < batch.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ")
                    .Append(CultureInfo.InvariantCulture, $"COUNT(CASE WHEN {batch[i].SourcePredicate} THEN 1 END) AS \"RANGE_{i}\"");
            }

            sql.Append(" FROM ").Append(table.Quoted);
            await foreach (var row in source.QueryAsync(sql.ToString(), cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    counts[start + i] = Convert.ToInt64(row[i], CultureInfo.InvariantCulture);
                }
            }
        }

        return counts;
    }

    /// <summary>
    /// The target rows that stand for source rows: with <c>delete_missing: soft</c>, rows marked gone stay in the
    /// target but no longer in the source, so they are left out of the comparison.
    /// </summary>
    private static string TargetScope(TableConfig table) =>
        table.DeleteMissing is { Mode: DeleteMissingMode.Soft, SoftDeleteColumn: { } column } ? $"{PgIdentifier.Quote(column)} IS NULL" : "TRUE";

    private async Task<long[]> CountTargetAsync(string schema, string table, string scope, IReadOnlyList<BuiltRange> ranges, CancellationToken cancellationToken) =>
        await PostgresRetry.ExecuteAsync(
            async ct =>
            {
                var counts = new long[ranges.Count];
                var connection = await target.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    for (var start = 0; start < ranges.Count; start += RangesPerStatement)
                    {
                        var batch = ranges.Skip(start).Take(RangesPerStatement).ToList();
                        using var command = new NpgsqlCommand { Connection = connection, CommandTimeout = 0 };
                        command.CommandText = "SELECT " + string.Join(", ", batch.Select(r => $"count(*) FILTER (WHERE {r.Target.Predicate})")) +
                                              " FROM " + PgIdentifier.Quote(schema, table) + " WHERE " + scope;
                        foreach (var range in batch)
                        {
                            range.Target.Bind(command.Parameters);
                        }

                        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            await reader.ReadAsync(ct).ConfigureAwait(false);
                            for (var i = 0; i < batch.Count; i++)
                            {
                                counts[start + i] = reader.GetInt64(i);
                            }
                        }
                    }
                }

                return counts;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>The target predicate with its bound values written in, for people to read (never executed).</summary>
    private static string Readable(BuiltRange range)
    {
        var text = range.Target.Predicate;
        // Highest first, so @range_0_1 is not taken for the start of @range_0_10.
        for (var i = range.Target.Values.Count - 1; i >= 0; i--)
        {
            text = text.Replace(
                "@" + range.ParameterPrefix + i.ToString(CultureInfo.InvariantCulture),
                "'" + range.Target.Values[i].Replace("'", "''", StringComparison.Ordinal) + "'",
                StringComparison.Ordinal);
        }

        return text;
    }

    private sealed record BuiltRange(RangeBounds Bounds, string SourcePredicate, TargetChunkRange Target, string? Lower, string? Upper)
    {
        public string ParameterPrefix { get; init; } = "";
    }
}
