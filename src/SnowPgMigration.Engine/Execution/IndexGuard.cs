using Npgsql;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// <c>disable_index</c> without loss (invariant 5): definitions are saved in the status schema before
/// anything is dropped, and recreated after the load, after a failure, and by the next run after a crash.
/// </summary>
internal sealed class IndexGuard(NpgsqlDataSource target, IndexBackupStore backups, IEngineReporter reporter)
{
    /// <summary>Saves then drops the table's indexes and key constraints, keeping the arbiter an upsert needs.</summary>
    public async Task DropAsync(Guid runId, string schema, string table, IReadOnlyCollection<string>? keepUniqueOn, CancellationToken cancellationToken)
    {
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var definitions = await TargetIndexes.ReadAsync(connection, schema, table, keepUniqueOn, cancellationToken).ConfigureAwait(false);
            if (definitions.Count == 0)
            {
                return;
            }

            await backups.SaveAsync(runId, definitions, cancellationToken).ConfigureAwait(false);
            var saved = await backups.ListAsync(runId, schema, table, unrestoredOnly: true, cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await TargetIndexes.DropAsync(connection, definitions, cancellationToken).ConfigureAwait(false);
                foreach (var backup in saved)
                {
                    await backups.MarkDroppedAsync(backup, transaction, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            reporter.Information($"{schema}.{table}: {definitions.Count} index(es)/constraint(s) saved and dropped for the load.");
        }
    }

    /// <summary>Recreates what this run dropped; harmless when nothing is missing.</summary>
    public async Task RestoreAsync(Guid runId, string schema, string table, CancellationToken cancellationToken) =>
        await RestoreAsync(await backups.ListAsync(runId, schema, table, unrestoredOnly: true, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Recreates what earlier runs dropped and never restored (they crashed mid-load).</summary>
    public async Task RestoreLeftoversAsync(string schema, string table, Guid currentRun, CancellationToken cancellationToken)
    {
        var leftovers = (await backups.ListAsync(null, schema, table, unrestoredOnly: true, cancellationToken).ConfigureAwait(false))
            .Where(b => b.RunId != currentRun && b.DroppedAt is not null)
            .ToList();
        if (leftovers.Count > 0)
        {
            reporter.Warning($"{schema}.{table}: restoring {leftovers.Count} index(es)/constraint(s) an earlier run dropped and did not restore.");
            await RestoreAsync(leftovers, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RestoreAsync(IReadOnlyList<IndexBackupRecord> saved, CancellationToken cancellationToken)
    {
        if (saved.Count == 0)
        {
            return;
        }

        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var restored = await TargetIndexes.RestoreAsync(connection, saved.Select(b => new IndexDefinition(b.TargetSchema, b.Table, b.Kind, b.Name, b.Definition)).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var backup in saved)
            {
                await backups.MarkRestoredAsync(backup, null, cancellationToken).ConfigureAwait(false);
            }

            reporter.Information($"{saved[0].TargetSchema}.{saved[0].Table}: {restored} index(es)/constraint(s) restored.");
        }
    }
}
