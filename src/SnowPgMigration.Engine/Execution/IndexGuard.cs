using Microsoft.Extensions.Logging;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// <c>disable_index</c> without loss (invariant 5): definitions are saved in the status schema before
/// anything is dropped, and recreated after the load, after a failure, and by the next run after a crash.
/// A backup row goes saved -> dropped -> restored, and back to dropped when a resumed run drops the object
/// again, so whatever sequence of stops and resumes happened, what is dropped is recorded as waiting.
/// </summary>
internal sealed class IndexGuard(NpgsqlDataSource target, IndexBackupStore backups, IEngineReporter reporter)
{
    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<IndexGuard>();

    /// <summary>Saves then drops the table's indexes and key constraints, keeping the arbiter an upsert needs.</summary>
    public async Task DropAsync(Guid runId, string schema, string table, IReadOnlyCollection<string>? keepUniqueOn, CancellationToken cancellationToken)
    {
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // What the table has now; on a resume whose objects were restored, that is them again.
            var definitions = await TargetIndexes.ReadAsync(connection, schema, table, keepUniqueOn, cancellationToken).ConfigureAwait(false);
            if (definitions.Count == 0)
            {
                return;
            }

            await backups.SaveAsync(runId, definitions, cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await TargetIndexes.DropAsync(connection, definitions, cancellationToken).ConfigureAwait(false);
                foreach (var definition in definitions)
                {
                    // Exactly what this transaction drops is marked dropped (and no longer restored), in the same commit.
                    await backups.MarkDroppedAsync(BackupOf(runId, definition), transaction, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            EngineLog.IndexesDropped(_logger, schema, table, definitions.Count);
        }
    }

    /// <summary>
    /// Recreates what this run dropped; harmless when nothing is missing. What cannot be recreated keeps its
    /// backup row, with the reason, and fails the table with <see cref="ErrorCatalog.IndexRestoreFailed"/>.
    /// </summary>
    public async Task RestoreAsync(Guid runId, string schema, string table, CancellationToken cancellationToken)
    {
        var failures = await RestoreEachAsync(await backups.ListAsync(runId, schema, table, unrestoredOnly: true, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        ThrowIfAny(failures, schema, table, runId);
    }

    /// <summary>
    /// The restore on the way out of a table (failure, cancellation, deadline): never throws, so the way out
    /// stays what it was. What cannot be recreated keeps its backup row with the reason and is reported as a
    /// warning; the next run of the table retries it.
    /// </summary>
    public async Task RestoreOnLeavingAsync(Guid runId, string schema, string table)
    {
        try
        {
            await RestoreAsync(runId, schema, table, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (ex is SfPgException coded)
            {
                EngineLog.IndexRestoreFailed(_logger, coded.Code, coded.Message);
            }
            else
            {
                EngineLog.IndexesNotRestoredYet(_logger, schema, table, runId, ex.Message);
            }
        }
    }

    /// <summary>Recreates what earlier runs dropped and never restored (they crashed mid-load).</summary>
    public async Task RestoreLeftoversAsync(string schema, string table, Guid currentRun, CancellationToken cancellationToken)
    {
        var leftovers = (await backups.ListAsync(null, schema, table, unrestoredOnly: true, cancellationToken).ConfigureAwait(false))
            .Where(b => b.RunId != currentRun && b.DroppedAt is not null)
            .ToList();
        if (leftovers.Count > 0)
        {
            EngineLog.LeftoverIndexesRestoring(_logger, schema, table, leftovers.Count);
            ThrowIfAny(await RestoreEachAsync(leftovers, cancellationToken).ConfigureAwait(false), schema, table, leftovers[0].RunId);
        }
    }

    /// <summary>
    /// One transaction per object, its backup row marked restored in the same commit, so one object that
    /// cannot come back neither keeps the others from coming back nor loses its own definition.
    /// </summary>
    private async Task<List<(IndexBackupRecord Backup, string Reason)>> RestoreEachAsync(IReadOnlyList<IndexBackupRecord> saved, CancellationToken cancellationToken)
    {
        var failures = new List<(IndexBackupRecord, string)>();
        if (saved.Count == 0)
        {
            return failures;
        }

        var restored = 0;
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Keys before the foreign keys that reference them.
            foreach (var backup in saved.OrderBy(b => b.Kind == IndexObjectKind.ForeignKey))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    try
                    {
                        if (await TargetIndexes.RestoreOneAsync(connection, DefinitionOf(backup), cancellationToken).ConfigureAwait(false))
                        {
                            restored++;
                        }

                        await backups.MarkRestoredAsync(backup, transaction, cancellationToken).ConfigureAwait(false);
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is PostgresException or SfPgException)
                    {
                        await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                        var reason = ex is PostgresException postgres ? Reason(postgres) : ex.Message;
                        await backups.MarkRestoreFailedAsync(backup, reason, CancellationToken.None).ConfigureAwait(false);
                        failures.Add((backup, reason));
                    }
                }
            }
        }

        if (restored > 0)
        {
            EngineLog.IndexesRestored(_logger, saved[0].TargetSchema, saved[0].Table, restored);
        }

        return failures;
    }

    private static void ThrowIfAny(List<(IndexBackupRecord Backup, string Reason)> failures, string schema, string table, Guid runId)
    {
        if (failures.Count == 0)
        {
            return;
        }

        var objects = string.Join("; ", failures.Select(f => $"{StatusText.ToText(f.Backup.Kind)} {f.Backup.Name}: {f.Reason}"));
        throw new SfPgException(
            ErrorCatalog.IndexRestoreFailed,
            $"Table {schema}.{table} of run {runId}: {failures.Count} saved index(es)/constraint(s) could not be recreated " +
            $"({ErrorCatalog.IndexRestoreFailed.Code}): {objects}. Their definitions stay in migration_status.migration_index_backup (run {runId}); " +
            $"fix the cause, then resume run {runId} to restore them.",
            $"{schema}.{table}",
            null);
    }

    private static string Reason(PostgresException exception) => exception.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => $"{exception.MessageText}: the table holds duplicate values for its key; remove the duplicate rows",
        PostgresErrorCodes.ForeignKeyViolation => $"{exception.MessageText}: rows reference keys the referenced table does not have",
        _ => $"{exception.SqlState}: {exception.MessageText}",
    };

    private static IndexBackupRecord BackupOf(Guid runId, IndexDefinition definition) => new()
    {
        RunId = runId,
        TargetSchema = definition.TargetSchema,
        Table = definition.Table,
        Kind = definition.Kind,
        Name = definition.Name,
        Definition = definition.Definition,
    };

    private static IndexDefinition DefinitionOf(IndexBackupRecord backup) =>
        new(backup.TargetSchema, backup.Table, backup.Kind, backup.Name, backup.Definition);
}
