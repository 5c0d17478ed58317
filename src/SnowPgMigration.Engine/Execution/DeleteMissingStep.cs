using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// delete_missing after an incremental load: once a table's upsert (or insert-only) load completed, target rows
/// whose key the source no longer has are deleted or marked (<see cref="KeyedDeleteMissing"/>). Only the run's
/// owner does it, and only after a completed load; a COPY load into an empty or truncated table has nothing to
/// delete. A refusal (SFPG4432, SFPG4433) propagates, so the table is recorded failed with its message.
/// </summary>
internal static class DeleteMissingStep
{
    public static async Task<TableResult> AfterLoadAsync(
        TableResult loaded, LoadMethod method, bool joined, SnowflakeSource source, NpgsqlDataSource target,
        SourceConfig sourceConfig, TableConfig table, Guid runId, IEngineReporter reporter, CancellationToken cancellationToken)
    {
        if (table.DeleteMissing.Mode == DeleteMissingMode.Off || joined || method == LoadMethod.Copy || loaded.Status != ProgressStatus.Completed)
        {
            return loaded;
        }

        var keyed = await KeyedTable.ResolveAsync(source, target, sourceConfig, table, cancellationToken).ConfigureAwait(false);
        var outcome = await new KeyedDeleteMissing(keyed).ApplyAsync(runId, cancellationToken).ConfigureAwait(false);
        if (outcome.Applied > 0 || outcome.Restored > 0)
        {
            reporter.Information($"{table.Target}: {outcome}" +
                                 (outcome.SampleKeys.Count == 0 ? "." : $" (first: {string.Join("; ", outcome.SampleKeys)})."));
        }

        return loaded with { Verification = $"{loaded.Verification}; {outcome}" };
    }
}
