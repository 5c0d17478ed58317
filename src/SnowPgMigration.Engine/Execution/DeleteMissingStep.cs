using Microsoft.Extensions.Logging;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// delete_missing after an incremental load: once every chunk of a table's upsert (or insert-only) load completed,
/// target rows whose key the source no longer has are deleted or marked (<see cref="KeyedDeleteMissing"/>), before
/// the table's verdict compares the target with the source. Only the run's owner does it; a COPY load into an empty
/// or truncated table has nothing to delete. A refusal (SFPG4432, SFPG4433) propagates, so the table is recorded
/// failed with its message.
/// </summary>
internal static class DeleteMissingStep
{
    /// <returns>What was deleted or marked, for the table's verdict; null when nothing was compared.</returns>
    public static async Task<string?> BeforeVerdictAsync(
        StatusStore status, LoadMethod method, bool joined, SnowflakeSource source, NpgsqlDataSource target,
        SourceConfig sourceConfig, TableConfig table, Guid runId, IEngineReporter reporter, CancellationToken cancellationToken)
    {
        if (table.DeleteMissing.Mode == DeleteMissingMode.Off || joined || method == LoadMethod.Copy)
        {
            return null;
        }

        var chunks = await status.Chunks.ListChunksAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
        if (!chunks.All(c => c.Status == ProgressStatus.Completed && (c.ExpectedRows is not { } expected || expected == c.RowsCopied)))
        {
            return null;
        }

        var keyed = await KeyedTable.ResolveAsync(source, target, sourceConfig, table, cancellationToken).ConfigureAwait(false);
        var outcome = await new KeyedDeleteMissing(keyed).ApplyAsync(runId, cancellationToken).ConfigureAwait(false);
        var logger = reporter.LoggerFactory.CreateLogger(typeof(DeleteMissingStep));
        if ((outcome.Applied > 0 || outcome.Restored > 0) && logger.IsEnabled(LogLevel.Information))
        {
            var text = outcome.ToString();
            var sampleKeys = string.Join("; ", outcome.SampleKeys);
            if (outcome.SampleKeys.Count == 0)
            {
                EngineLog.MissingRowsDeleted(logger, table.Target, text);
            }
            else
            {
                EngineLog.MissingRowsDeletedWithKeys(logger, table.Target, text, sampleKeys);
            }
        }

        return outcome.ToString();
    }
}
