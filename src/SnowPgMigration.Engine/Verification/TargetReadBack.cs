using Npgsql;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// Reads a COPY-loaded table back: such a table held nothing but this run's chunks (it was empty, or
/// truncated with the plan, and one run at a time loads it), so its row count must equal the rows the
/// chunks committed. When it does not - rows deleted or added behind the run's back, a chunk loaded
/// twice - the chunks whose range on the target disagrees are named.
/// </summary>
internal sealed class TargetReadBack(NpgsqlDataSource target)
{
    /// <summary>Ranges counted one by one to name the differing chunks; past this only the total is reported.</summary>
    private const int MaxRangesCounted = 500;

    public async Task<long> CountAsync(string schema, string table, CancellationToken cancellationToken) =>
        await PostgresRetry.ExecuteAsync(
            async ct =>
            {
                var connection = await target.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    using var command = new NpgsqlCommand($"SELECT count(*) FROM {PgIdentifier.Quote(schema, table)}", connection) { CommandTimeout = 0 };
                    return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
                }
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>The completed chunks whose rows on the target differ from what they committed: (chunk, on the target, committed).</summary>
    public async Task<IReadOnlyList<(int ChunkId, long OnTarget, long Committed)>> DifferingChunksAsync(
        PreparedTable table, IReadOnlyList<ChunkRecord> chunks, CancellationToken cancellationToken)
    {
        var differing = new List<(int, long, long)>();
        if (chunks.Count > MaxRangesCounted)
        {
            return differing;
        }

        var pairs = table.SourceColumns.Select((source, i) => (source, table.Writer.Columns[i].Column)).ToList();
        var name = $"{table.TargetSchema}.{table.Config.Target}";
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var chunk in chunks.Where(c => c.Status == ProgressStatus.Completed))
            {
                TargetChunkRange range;
                try
                {
                    range = TargetChunkRange.For(name, chunk.ChunkId, chunk.Strategy, chunk.BoundsJson, chunks.Select(c => c.BoundsJson),
                        TargetChunkRange.ColumnResolver(pairs));
                }
                catch (Errors.SfPgException)
                {
                    return differing; // offset pages or keys not copied: only the total can be compared
                }

                using var command = new NpgsqlCommand(
                    $"SELECT count(*) FROM {PgIdentifier.Quote(table.TargetSchema, table.Config.Target)} WHERE {range.Predicate}", connection) { CommandTimeout = 0 };
                range.Bind(command.Parameters);
                var onTarget = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (onTarget != chunk.RowsCopied)
                {
                    differing.Add((chunk.ChunkId, onTarget, chunk.RowsCopied));
                }
            }
        }

        return differing;
    }
}
