using System.Runtime.CompilerServices;
using Npgsql;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Copies one claimed chunk: streams its rows from the source into the target and marks it
/// completed in the same target transaction (invariant 2), keeping the claim's heartbeat fresh
/// while it works. A table extracted by unload goes through the stage instead (<see cref="UnloadChunkCopier"/>).
/// </summary>
internal sealed class ChunkCopier(
    NpgsqlDataSource target,
    ChunkStore chunks,
    SnowflakeSource source,
    PreparedTable table,
    TimeSpan heartbeatInterval,
    TimeProvider clock,
    UnloadChunkCopier? unload)
{
    /// <summary>Rows read so far in the current attempt, for progress.</summary>
    public async Task<long> CopyAsync(ChunkClaim claim, Action<long> onRows, CancellationToken cancellationToken)
    {
        using var claimLost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = ClaimHeartbeat.KeepAsync(token => chunks.HeartbeatChunkAsync(claim, token), heartbeatInterval, clock, claimLost);
        try
        {
            if (unload is not null)
            {
                var unloadSql = await SourceQueryAsync(claim, claimLost.Token).ConfigureAwait(false);
                return await unload.CopyAsync(claim, unloadSql, onRows, () => ClaimHeartbeat.StopAsync(claimLost, heartbeat), claimLost.Token, cancellationToken).ConfigureAwait(false);
            }

            var connection = await target.OpenConnectionAsync(claimLost.Token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(claimLost.Token).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await LoadSessionSettings.ApplyAsync(connection, transaction, claimLost.Token).ConfigureAwait(false);
                    await TableLoaderStore.HoldLoaderAsync(connection, transaction, claim.RunId, table.TargetSchema, claim.Table, claimLost.Token).ConfigureAwait(false);
                    if (claim.Chunk.ReplaceRows && table.Writer.Method == LoadMethod.Copy)
                    {
                        // A completed chunk was reset: its earlier rows go in this transaction, so the re-load replaces them.
                        var range = await RangeOnTargetAsync(claim, claimLost.Token).ConfigureAwait(false);
                        await table.Writer.DeleteRangeAsync(connection, range, claimLost.Token).ConfigureAwait(false);
                    }

                    var sql = await SourceQueryAsync(claim, claimLost.Token).ConfigureAwait(false);
                    var result = await source.ExecuteAsync(sql, claimLost.Token).ConfigureAwait(false);
                    var rows = Counted(result.ReadDecodedRowsAsync(claimLost.Token), onRows, claimLost.Token);
                    var checksum = await table.Writer.WriteAsync(connection, rows, claimLost.Token).ConfigureAwait(false);

                    // The completion holds the chunk's row lock until commit; the heartbeat must not wait on it.
                    await ClaimHeartbeat.StopAsync(claimLost, heartbeat).ConfigureAwait(false);
                    await ChunkStore.MarkChunkCompletedAsync(transaction, claim, checksum.Rows, checksum.Value, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return checksum.Rows;
                }
            }
        }
        finally
        {
            await ClaimHeartbeat.StopAsync(claimLost, heartbeat).ConfigureAwait(false);
        }
    }

    /// <summary>The chunk's statement, rebuilt from its stored bounds: the stored predicate text is never sent.</summary>
    private async Task<string> SourceQueryAsync(ChunkClaim claim, CancellationToken cancellationToken)
    {
        var siblings = ChunkSourcePredicate.IsRemainder(table.Config.Source, claim.ChunkId, claim.Chunk.BoundsJson)
            ? (await chunks.ListChunksAsync(claim.RunId, claim.Table, cancellationToken).ConfigureAwait(false)).Select(c => c.BoundsJson).ToList()
            : [];
        var predicate = ChunkSourcePredicate.For(table.Config, claim.ChunkId, claim.Chunk.Strategy, claim.Chunk.BoundsJson, siblings);
        var page = ChunkSourcePredicate.PageOf(table.Config.Source, claim.ChunkId, claim.Chunk.BoundsJson);
        return ChunkSql.Select(table.SourceTable, table.SourceColumns, predicate, page);
    }

    /// <remarks>
    /// Only COPY tables delete: they hold only rows this run loaded, all inside its scope. Upsert and
    /// insert-only loads match rows by their keys, so loading a chunk again cannot double it.
    /// </remarks>
    private async Task<TargetChunkRange> RangeOnTargetAsync(ChunkClaim claim, CancellationToken cancellationToken)
    {
        var siblings = await chunks.ListChunksAsync(claim.RunId, claim.Table, cancellationToken).ConfigureAwait(false);
        var pairs = table.SourceColumns.Select((source, i) => (source, table.Writer.Columns[i].Column)).ToList();
        return TargetChunkRange.For(
            $"{table.TargetSchema}.{table.Config.Target}",
            claim.ChunkId,
            claim.Chunk.Strategy,
            claim.Chunk.BoundsJson,
            siblings.Select(c => c.BoundsJson),
            TargetChunkRange.ColumnResolver(pairs));
    }

    private static async IAsyncEnumerable<T> Counted<T>(
        IAsyncEnumerable<T> rows, Action<long> onRows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int ReportEvery = 1000;
        var pending = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row;
            if (++pending == ReportEvery)
            {
                onRows(pending);
                pending = 0;
            }
        }

        onRows(pending);
    }
}
