using Microsoft.Extensions.Logging;
using System.Text.Json;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Settles how a table is copied before any worker starts: which columns, which load method, which
/// rows (watermark pre-filter) and which chunks.
/// </summary>
internal sealed class TablePreparer(
    MigrationConfig config,
    SourceConfig source,
    SnowflakeSource snowflake,
    NpgsqlDataSource target,
    IEngineReporter reporter,
    bool dryRun = false)
{
    private static readonly JsonSerializerOptions BoundsJson = ChunkBoundsJson.Options;

    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<TablePreparer>();

    public SnowflakeTableName SourceTableOf(TableConfig table) =>
        new(source.SourceSfDatabase, source.SourceSfSchema, table.Source);

    /// <summary>Builds the writer for a table whose load method is known (decided now, or recorded by an earlier process).</summary>
    public async Task<(TargetTableWriter Writer, IReadOnlyList<string> SourceColumns)> BuildWriterAsync(
        TableConfig table, LoadMethod method, CancellationToken cancellationToken)
    {
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var columns = await TableColumns.ResolveAsync(snowflake, connection, source, table, cancellationToken).ConfigureAwait(false);
            var match = columns.Match;
            if (match.SkippedSourceColumns.Count > 0)
            {
                EngineLog.SourceColumnsSkipped(_logger, table.Source, table.Target, string.Join(", ", match.SkippedSourceColumns.Select(c => $"\"{c}\"")));
            }

            var writer = new TargetTableWriter(
                source.TargetPgSchema,
                table.Target,
                method,
                columns.Conversions().Concat(columns.OffsetCompanions.Select(c => c.Conversion)).ToList(),
                Enumerable.Range(0, match.Pairs.Count).Concat(columns.OffsetCompanions.Select(c => c.PairIndex)).ToList(),
                method == LoadMethod.Copy ? [] : table.UniquenessColumns,
                method == LoadMethod.Copy ? null : table.TargetWatermark);
            return (writer, columns.SourceColumns);
        }
    }

    /// <summary>
    /// Plans a table and decides its load method. Nothing is written: a truncate_onstart table is emptied
    /// only in the transaction that records this plan, so a failed plan leaves the target as it was.
    /// </summary>
    public async Task<PreparedPlan> PlanAsync(TableConfig table, CancellationToken cancellationToken)
    {
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var schema = source.TargetPgSchema;
            var shape = TargetShape.Unchanged;
            if (table.CreateTarget || table.SchemaEvolution != SchemaEvolution.None)
            {
                var described = await snowflake.DescribeAsync(SourceTableOf(table), cancellationToken).ConfigureAwait(false);
                shape = await TargetTableShaper.ShapeAsync(connection, source, table, described, apply: !dryRun, cancellationToken).ConfigureAwait(false);
                foreach (var statement in shape.Statements)
                {
                    if (dryRun)
                    {
                        EngineLog.TargetDdlWouldRun(_logger, schema, table.Target, statement);
                    }
                    else
                    {
                        EngineLog.TargetDdlRan(_logger, schema, table.Target, statement);
                    }
                }
            }

            var columns = await TableColumns.ResolveAsync(snowflake, connection, source, table, cancellationToken, shape.PlannedColumns).ConfigureAwait(false);
            TypeNarrowing.Warn(columns.Narrowings, reporter);
            var sourceOf = columns.Match.Pairs.ToDictionary(p => p.Target, p => p.Source, StringComparer.Ordinal);

            // A table this dry run would create does not exist yet, so it has no rows to ask about.
            var targetHasRows = !table.TruncateOnStart && !(shape.CreatesTable && shape.PlannedColumns is not null)
                && await TargetTableInspector.HasRowsAsync(connection, schema, table.Target, cancellationToken).ConfigureAwait(false);

            var scope = ChunkPredicates.SourceFilter(table.SourceFilter, table.Source);
            ChunkBounds? watermark = null;
            if (targetHasRows && table.SourceWatermark is { } sourceWatermark && table.TargetWatermark is { } targetWatermark)
            {
                var newest = await TargetTableInspector.MaxAsync(connection, schema, table.Target, targetWatermark, cancellationToken).ConfigureAwait(false);
                if (newest is not null)
                {
                    // Rows at exactly the newest instant are read again: the upsert keeps whichever is newer.
                    var newer = $"({SnowflakeIdentifier.Quote(sourceWatermark)} >= {SnowflakeSql.Literal(newest)})";
                    scope = scope is null ? newer : $"{scope} AND {newer}";
                    watermark = new ChunkBounds(null)
                    {
                        WatermarkColumn = sourceWatermark,
                        WatermarkFrom = ChunkBoundValue.Write(newest),
                        WatermarkType = ChunkBoundValue.TypeOf(newest),
                    };
                    EngineLog.PlanningNewerRowsOnly(_logger, table.Target, sourceWatermark, newest, targetWatermark);
                }
            }

            var families = table.ChunkingColumnTypes.Select(t => ChunkingColumnTypes.FamilyOf(t) ?? ChunkKeyFamily.Text).ToList();
            var request = new ChunkPlanRequest(
                SourceTableOf(table),
                scope,
                table.ChunkingColumns,
                families,
                table.UniquenessColumns.Select(u => sourceOf.GetValueOrDefault(u, u)).ToList(),
                table.BatchSizeFor(config, loadedByCopy: table.TruncateOnStart || !targetHasRows),
                table.ChunkingStrategy);
            var plan = await new ChunkPlanner(snowflake).PlanAsync(request, cancellationToken).ConfigureAwait(false);
            var (method, why) = LoadMethodDecision.Decide(
                $"{schema}.{table.Target}", table.TruncateOnStart, table.InsertOnlyMode, table.UniquenessColumns.Count > 0, targetHasRows, plan.Strategy);

            if (method != LoadMethod.Copy)
            {
                var keys = table.UniquenessColumns;
                if (!await TargetTableInspector.HasUniqueKeyAsync(connection, schema, table.Target, keys, cancellationToken).ConfigureAwait(false))
                {
                    throw new SfPgException(
                        ErrorCatalog.UniqueKeyMissing,
                        $"Table {schema}.{table.Target} needs a unique index or primary key on ({string.Join(", ", keys)}) for {method.ToName()} loads.",
                        target: $"{schema}.{table.Target}",
                        recommendedAction: null);
                }

                await new NullKeyCheck(snowflake).RefuseNullKeysAsync(request.SourceTable, scope, request.UniquenessColumns, $"{schema}.{table.Target}", cancellationToken).ConfigureAwait(false);
            }

            return new PreparedPlan(plan, method, why, watermark) { Shape = shape };
        }
    }

    /// <summary>
    /// Ranges over the whole filtered table (no watermark limit, the batch size of a full load), to compare the
    /// table with its source when no run's chunks cover all of it. Reads only the chunk key's profile and buckets.
    /// </summary>
    public async Task<TablePlan> PlanWholeTableAsync(TableConfig table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var columns = await TableColumns.ResolveAsync(snowflake, connection, source, table, cancellationToken).ConfigureAwait(false);
            var sourceOf = columns.Match.Pairs.ToDictionary(p => p.Target, p => p.Source, StringComparer.Ordinal);
            var request = new ChunkPlanRequest(
                SourceTableOf(table),
                ChunkPredicates.SourceFilter(table.SourceFilter, table.Source),
                table.ChunkingColumns,
                table.ChunkingColumnTypes.Select(t => ChunkingColumnTypes.FamilyOf(t) ?? ChunkKeyFamily.Text).ToList(),
                table.UniquenessColumns.Select(u => sourceOf.GetValueOrDefault(u, u)).ToList(),
                table.BatchSizeFor(config, loadedByCopy: true),
                table.ChunkingStrategy);
            return await new ChunkPlanner(snowflake).PlanAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The chunks as the status schema records them. The bounds carry the table's watermark limit, so a resume reads
    /// exactly the planned rows; the stored predicate is the one <see cref="ChunkSourcePredicate"/> rebuilds from them.
    /// </summary>
    public static IReadOnlyList<PlannedChunkRow> ToChunkRows(PreparedPlan prepared, TableConfig table)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var watermark = prepared.Watermark;
        var bounds = prepared.Plan.Chunks
            .Select(c => JsonSerializer.Serialize(
                watermark is null
                    ? c.Bounds
                    : c.Bounds with
                    {
                        WatermarkColumn = watermark.WatermarkColumn,
                        WatermarkFrom = watermark.WatermarkFrom,
                        WatermarkType = watermark.WatermarkType,
                    },
                BoundsJson))
            .ToList();
        return prepared.Plan.Chunks.Select((c, i) => new PlannedChunkRow(
            c.ChunkId,
            c.Strategy.ToName(),
            ChunkSourcePredicate.For(table, c.ChunkId, c.Strategy.ToName(), bounds[i], bounds),
            bounds[i],
            c.ExpectedRows)).ToList();
    }
}

/// <summary>A table's plan with the load method decided for it.</summary>
/// <param name="Watermark">When only rows newer than the target's are read: the watermark fields every chunk's bounds carry.</param>
internal sealed record PreparedPlan(TablePlan Plan, LoadMethod Method, string MethodReason, ChunkBounds? Watermark = null)
{
    /// <summary>The DDL that created or evolved the target before planning (in a dry run: would).</summary>
    public TargetShape Shape { get; init; } = TargetShape.Unchanged;
}
