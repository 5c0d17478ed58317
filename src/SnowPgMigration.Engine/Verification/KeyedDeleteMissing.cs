using System.Globalization;
using System.Text;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Verification;

/// <summary>What delete_missing found and did on one table.</summary>
/// <param name="Table">schema.table on the target.</param>
/// <param name="Mode">Hard (deleted) or soft (marked).</param>
/// <param name="TargetRows">Rows the target held when compared.</param>
/// <param name="Gone">Target rows whose key the source no longer has (for soft: not marked before).</param>
/// <param name="Restored">For soft: marked rows whose key the source has again, unmarked.</param>
/// <param name="SampleKeys">The first keys gone.</param>
public sealed record DeleteMissingOutcome(string Table, DeleteMissingMode Mode, long TargetRows, long Gone, long Restored, IReadOnlyList<string> SampleKeys)
{
    /// <summary>Rows the transaction deleted (hard) or marked (soft); fewer than <see cref="Gone"/> only when rows changed meanwhile.</summary>
    public long Applied { get; init; }

    public override string ToString() => Mode == DeleteMissingMode.Hard
        ? $"delete_missing hard: {Applied:N0} row(s) gone from the source deleted"
        : $"delete_missing soft: {Applied:N0} row(s) gone from the source marked, {Restored:N0} back in the source unmarked";
}

/// <summary>
/// delete_missing: the keys of the table's scope on the source (its source_filter; rows outside it count as gone)
/// are merged with every key of the target, in one key order and moving keys only, never whole rows. Target keys
/// the source lacks are staged in a temporary table as they stream, so memory stays flat; then, unless they are
/// more than max_delete_ratio of the target's rows (SFPG4432, nothing changed), one transaction deletes them (hard)
/// or sets soft_delete_column to the detection time (soft; rows whose key came back are unmarked), and records
/// what it did in the table's status.
/// </summary>
public sealed class KeyedDeleteMissing(KeyedTable table)
{
    private const int SampleKeys = 10;
    private const string StagingTable = "pg_temp.sfpg_keys_gone";
    private const string RestoreColumn = "\"sfpg restore\"";

    public async Task<DeleteMissingOutcome> ApplyAsync(Guid? runId, CancellationToken cancellationToken)
    {
        var settings = table.Config.DeleteMissing;
        if (settings.Mode == DeleteMissingMode.Off || !table.HasKey)
        {
            throw new InvalidOperationException($"Table {table.Name} has no delete_missing setting, or no key.");
        }

        var keyNames = table.KeyNames.Select(n => PgIdentifier.Quote(n)).ToList();
        var soft = settings.Mode == DeleteMissingMode.Soft ? PgIdentifier.Quote(settings.SoftDeleteColumn!) : null;
        var connection = await table.Target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (soft is not null)
            {
                await CheckSoftColumnAsync(connection, settings.SoftDeleteColumn!, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection,
                $"DROP TABLE IF EXISTS {StagingTable}; " +
                $"CREATE TEMP TABLE sfpg_keys_gone AS SELECT {string.Join(", ", keyNames)} FROM {table.TargetQuoted} WITH NO DATA; " +
                $"ALTER TABLE {StagingTable} ADD COLUMN {RestoreColumn} boolean NOT NULL DEFAULT false",
                null, cancellationToken).ConfigureAwait(false);
            try
            {
                var (targetRows, gone, restored, samples) = await StageAsync(connection, soft, cancellationToken).ConfigureAwait(false);
                var outcome = new DeleteMissingOutcome(table.Name, settings.Mode, targetRows, gone, restored, samples);
                if (gone > settings.MaxDeleteRatio * targetRows)
                {
                    throw new SfPgException(
                        ErrorCatalog.DeleteMissingRatioExceeded,
                        $"Table {table.Name}{(runId is null ? "" : $", run {runId}")}: {gone:N0} of the target's {targetRows:N0} rows " +
                        $"({100.0 * gone / Math.Max(1, targetRows):0.#} %) have keys the source no longer has (first: {string.Join("; ", samples)}), " +
                        $"more than max_delete_ratio {settings.MaxDeleteRatio.ToString(CultureInfo.InvariantCulture)} allows " +
                        $"({Math.Floor(settings.MaxDeleteRatio * targetRows).ToString("N0", CultureInfo.InvariantCulture)} rows). Nothing was {(soft is null ? "deleted" : "marked")}. " +
                        "Check the source; if the deletes are meant, raise max_delete_ratio for the table.",
                        target: table.Name,
                        recommendedAction: null);
                }

                return await ApplyStagedAsync(connection, keyNames, soft, outcome, runId, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {StagingTable}", null, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Merges the keys of both sides and stages, as text, target keys gone from the source (and, for soft, marked keys back in it).</summary>
    private async Task<(long TargetRows, long Gone, long Restored, IReadOnlyList<string> Samples)> StageAsync(
        NpgsqlConnection connection, string? soft, CancellationToken cancellationToken)
    {
        var keyCount = table.KeyIndexes.Count;
        var extras = table.KeyNames.Select(n => PgIdentifier.Quote(n) + "::text").ToList();
        if (soft is not null)
        {
            extras.Add($"({soft} IS NOT NULL)");
        }

        long gone = 0;
        long restored = 0;
        var samples = new List<string>();
        var staging = await connection.BeginTextImportAsync(
            $"COPY {StagingTable} ({string.Join(", ", table.KeyNames.Select(n => PgIdentifier.Quote(n)))}, {RestoreColumn}) FROM STDIN", cancellationToken).ConfigureAwait(false);
        long targetRows;
        await using (staging.ConfigureAwait(false))
        {
            var source = KeyedPrefetch.ReadAheadAsync(table.SourceRowsAsync(table.SourceScope, keysOnly: true, cancellationToken), cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            await using (source.ConfigureAwait(false))
            {
                var target = KeyedPrefetch.ReadAheadAsync(table.TargetRowsAsync(KeyedRange.WholeTable(table), keysOnly: true, cancellationToken, extras), cancellationToken)
                    .GetAsyncEnumerator(cancellationToken);
                await using (target.ConfigureAwait(false))
                {
                    var sourceSide = new KeyedMergeSide(table, "source", source, keysOnly: true);
                    var targetSide = new KeyedMergeSide(table, "target", target, keysOnly: true);
                    await sourceSide.NextAsync().ConfigureAwait(false);
                    await targetSide.NextAsync().ConfigureAwait(false);
                    while (targetSide.Row is { } row)
                    {
                        var order = sourceSide.Row is null ? 1 : KeyedValueOrder.Compare(sourceSide.KeyValues, targetSide.KeyValues);
                        if (order < 0)
                        {
                            await sourceSide.NextAsync().ConfigureAwait(false); // in the source only: the load's business, not ours
                            continue;
                        }

                        var marked = soft is not null && row[^1] is true;
                        if (order > 0 && !marked)
                        {
                            gone++;
                            if (samples.Count < SampleKeys)
                            {
                                samples.Add(string.Join(", ", table.KeyNames.Select((n, i) => $"{n}={KeyedValueOrder.Render(row[i])}")));
                            }

                            await staging.WriteLineAsync(StagedLine(row, keyCount, restore: false)).ConfigureAwait(false);
                        }
                        else if (order == 0 && marked)
                        {
                            restored++;
                            await staging.WriteLineAsync(StagedLine(row, keyCount, restore: true)).ConfigureAwait(false);
                        }

                        if (order == 0)
                        {
                            await sourceSide.NextAsync().ConfigureAwait(false);
                        }

                        await targetSide.NextAsync().ConfigureAwait(false);
                    }

                    targetRows = targetSide.Rows;
                }
            }
        }

        return (targetRows, gone, restored, samples);
    }

    private async Task<DeleteMissingOutcome> ApplyStagedAsync(
        NpgsqlConnection connection, IReadOnlyList<string> keyNames, string? soft, DeleteMissingOutcome outcome, Guid? runId, CancellationToken cancellationToken)
    {
        var join = string.Join(" AND ", keyNames.Select(k => $"t.{k} = g.{k}"));
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            long restored = 0;
            long applied;
            if (soft is null)
            {
                applied = await ExecuteAsync(connection, $"DELETE FROM {table.TargetQuoted} t USING {StagingTable} g WHERE NOT g.{RestoreColumn} AND {join}", null, cancellationToken)
                    .ConfigureAwait(false);
            }
            else
            {
                applied = await ExecuteAsync(connection,
                    $"UPDATE {table.TargetQuoted} t SET {soft} = now() FROM {StagingTable} g WHERE NOT g.{RestoreColumn} AND {join} AND t.{soft} IS NULL",
                    null, cancellationToken).ConfigureAwait(false);
                restored = await ExecuteAsync(connection,
                    $"UPDATE {table.TargetQuoted} t SET {soft} = NULL FROM {StagingTable} g WHERE g.{RestoreColumn} AND {join}",
                    null, cancellationToken).ConfigureAwait(false);
            }

            outcome = outcome with { Applied = applied, Restored = restored };

            if (runId is { } run)
            {
                // In the same transaction: the status says what was deleted exactly when it was.
                await ExecuteAsync(connection,
                    "UPDATE migration_status.migration_table_status SET missing_delete_mode = @mode, missing_detected_at = now(), " +
                    "missing_rows_deleted = @gone, missing_rows_restored = @restored, missing_sample_keys = @samples, updated_at = now() " +
                    "WHERE run_id = @run AND table_name = @table",
                    parameters =>
                    {
                        parameters.AddWithValue("mode", outcome.Mode == DeleteMissingMode.Hard ? "hard" : "soft");
                        parameters.AddWithValue("gone", outcome.Applied);
                        parameters.AddWithValue("restored", outcome.Restored);
                        parameters.AddWithValue("samples", string.Join("; ", outcome.SampleKeys));
                        parameters.AddWithValue("run", run);
                        parameters.AddWithValue("table", table.Config.Target);
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcome;
        }
    }

    /// <summary>SFPG4433 unless the soft-delete column is a timestamptz column of the target that the load does not fill.</summary>
    private async Task CheckSoftColumnAsync(NpgsqlConnection connection, string column, CancellationToken cancellationToken)
    {
        var columns = await TargetTableInspector.ColumnsAsync(connection, table.TargetSchema, table.Config.Target, cancellationToken).ConfigureAwait(false);
        var found = columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.Ordinal));
        var filled = table.Conversions.Any(c => string.Equals(c.Column.Name, column, StringComparison.Ordinal));
        if (found is { TypeName: "timestamptz", IsWritable: true } && !filled)
        {
            return;
        }

        var why = found is null ? "does not exist"
            : filled ? "is filled from a source column by the load"
            : $"is {found.DisplayType}, not timestamp with time zone";
        throw new SfPgException(
            ErrorCatalog.SoftDeleteColumnUnusable,
            $"Table {table.Name}: soft_delete_column \"{column}\" {why}, so rows gone from the source cannot be marked in it. Nothing was marked.",
            target: $"{table.Name}.{column}",
            recommendedAction: null);
    }

    /// <summary>One row of COPY's text format: the keys as PostgreSQL wrote them (exact), then the restore flag.</summary>
    private static string StagedLine(object?[] row, int keyCount, bool restore)
    {
        var line = new StringBuilder();
        for (var i = 0; i < keyCount; i++)
        {
            var text = row[keyCount + i] as string;
            line.Append(text is null ? "\\N" : text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)).Append('\t');
        }

        return line.Append(restore ? 't' : 'f').ToString();
    }

    /// <returns>The rows the statement changed.</returns>
    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, Action<NpgsqlParameterCollection>? bind, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        bind?.Invoke(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
