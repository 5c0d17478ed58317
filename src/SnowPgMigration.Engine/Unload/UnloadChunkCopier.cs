using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// A claimed chunk of an <c>"extract": "unload"</c> table: Snowflake unloads the chunk into the stage once, the
/// files are loaded one transaction each, and the chunk is marked completed only when every file is loaded and
/// their rows add up to what Snowflake unloaded. The table's verdict then compares it with the source like any other.
/// </summary>
public sealed class UnloadChunkCopier
{
    private readonly NpgsqlDataSource _target;
    private readonly UnloadFileStore _files;
    private readonly ChunkUnload _unload;
    private readonly UnloadedFileLoader _loader;
    private readonly PreparedTable _table;
    private readonly TimeSpan _heartbeatInterval;
    private readonly TimeSpan _staleAfter;
    private readonly TimeProvider _clock;

    public UnloadChunkCopier(
        NpgsqlDataSource target, SnowflakeSource source, StageSettings stage, PreparedTable table, TimeSpan heartbeatInterval, TimeSpan staleAfter, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Writer.Method != LoadMethod.Copy)
        {
            throw new SfPgException(ErrorCatalog.UnloadNeedsCopyLoad,
                $"{table.TargetSchema}.{table.Config.Target} uses \"extract\": \"unload\" but is loaded by {table.Writer.Method}; unloaded files are only appended by COPY.",
                target: $"{table.TargetSchema}.{table.Config.Target}", recommendedAction: null);
        }

        _target = target;
        _files = new UnloadFileStore(target);
        var blobs = new AzureBlobClient(UnloadStageFiles.Http, stage.Location, stage.SasToken!);
        _unload = new ChunkUnload(source, _files, blobs, stage.SnowflakeCredential, stage.MaxFileSize);
        _loader = new UnloadedFileLoader(target, _files, blobs, table.TargetSchema, table.Config.Target,
            table.Writer.Columns.Select(c => c.Column.Name).ToList(), heartbeatInterval, clock);
        _table = table;
        _heartbeatInterval = heartbeatInterval;
        _staleAfter = staleAfter;
        _clock = clock;
    }

    /// <summary>
    /// Unloads (once per run) and loads the claimed chunk, then completes it; returns the chunk's rows.
    /// <paramref name="stopHeartbeat"/> ends the chunk claim's heartbeat before the completion takes the chunk's row lock.
    /// </summary>
    public async Task<long> CopyAsync(
        ChunkClaim claim, string selectSql, Action<long> onRows, Func<Task> stopHeartbeat, CancellationToken work, CancellationToken commit)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(onRows);
        ArgumentNullException.ThrowIfNull(stopHeartbeat);
        if (claim.Chunk.ReplaceRows)
        {
            throw new SfPgException(ErrorCatalog.UnloadChunkReplaceUnsupported,
                $"{_table.TargetSchema}.{_table.Config.Target} chunk {claim.ChunkId} was reset to replace its rows, which the unload path does not do.",
                target: $"{_table.TargetSchema}.{_table.Config.Target} chunk {claim.ChunkId}", recommendedAction: null);
        }

        await _files.ReleaseChunkFilesAsync(claim.RunId, claim.Table, claim.ChunkId, work).ConfigureAwait(false);
        await _unload.UnloadAsync(claim.RunId, claim.Table, claim.ChunkId, selectSql, work).ConfigureAwait(false);
        while (true)
        {
            onRows(await _unload.LoadFilesAsync(_loader, claim.RunId, claim.Table, claim.ChunkId, claim.WorkerId, _staleAfter, work).ConfigureAwait(false));
            if (await _unload.AllLoadedAsync(claim.RunId, claim.Table, claim.ChunkId, work).ConfigureAwait(false))
            {
                break;
            }

            // Another process holds a file of this chunk: wait for it, or for its claim to go stale.
            await Task.Delay(_heartbeatInterval / 2, _clock, work).ConfigureAwait(false);
        }

        var totals = await _files.TotalsAsync(claim.RunId, claim.Table, claim.ChunkId, work).ConfigureAwait(false);
        await stopHeartbeat().ConfigureAwait(false);
        var connection = await _target.OpenConnectionAsync(commit).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(commit).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The rows were committed file by file; the chunk records their sum, which the files' totals proved.
                await TableLoaderStore.HoldLoaderAsync(connection, transaction, claim.RunId, _table.TargetSchema, claim.Table, commit).ConfigureAwait(false);
                await ChunkStore.MarkChunkCompletedAsync(transaction, claim, totals.RowsLoaded, checksum: null, commit).ConfigureAwait(false);
                await transaction.CommitAsync(commit).ConfigureAwait(false);
            }
        }

        return totals.RowsLoaded;
    }

    /// <summary>
    /// While other workers (of this or another process) hold the table's chunks, loads files of those chunks that
    /// are still pending, so every process pulls from the run's one file queue. Returns the rows loaded.
    /// </summary>
    /// <remarks>
    /// A failed file is given back with its error recorded on it; the chunk's own worker retries it and owns the
    /// failure, so a helper does not fail the table for it.
    /// </remarks>
    public async Task<long> HelpWithFilesAsync(Guid runId, string workerId, CancellationToken cancellationToken)
    {
        try
        {
            return await _unload.LoadFilesAsync(_loader, runId, _table.Config.Target, chunkId: null, workerId, _staleAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SfPgException or HttpRequestException or NpgsqlException or IOException)
        {
            return 0;
        }
    }
}
