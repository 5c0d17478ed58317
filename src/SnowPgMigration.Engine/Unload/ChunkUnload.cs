using System.Globalization;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// One chunk through the stage: Snowflake unloads the chunk's SELECT into the chunk's own folder
/// (<c>&lt;prefix&gt;/&lt;run&gt;/&lt;table&gt;/&lt;chunk&gt;/</c>) and reports each file's rows (DETAILED_OUTPUT);
/// the files become work items any worker of any process may claim; once every file is loaded the
/// chunk's loaded rows must equal Snowflake's; after the chunk is completed and verified its files are
/// deleted unless kept for audit.
/// </summary>
public sealed class ChunkUnload(SnowflakeSource source, UnloadFileStore files, AzureBlobClient blobs, UnloadCredential credential, long maxFileSize)
{
    /// <summary>The chunk's folder below the stage prefix: unique per run, table and chunk.</summary>
    public BlobStageLocation FolderOf(Guid runId, string table, int chunkId) =>
        blobs.Stage.Below($"{runId:N}/{table}/{chunkId.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Unloads the chunk and records its files, unless they are recorded already (a resumed or joined run
    /// never unloads a chunk twice). Returns the chunk's files.
    /// </summary>
    public async Task<IReadOnlyList<UnloadedFile>> UnloadAsync(Guid runId, string table, int chunkId, string selectSql, CancellationToken cancellationToken)
    {
        var recorded = await files.ListFilesAsync(runId, table, chunkId, cancellationToken).ConfigureAwait(false);
        if (recorded.Count > 0)
        {
            return recorded;
        }

        var folder = FolderOf(runId, table, chunkId);
        var unloaded = new List<(string FileName, long FileSize, long RowCount)>();
        await foreach (var row in source.QueryAsync(UnloadStatementBuilder.Build(folder, selectSql, credential, maxFileSize), cancellationToken).ConfigureAwait(false))
        {
            unloaded.Add((BlobStageLocation.Join(folder.Prefix, (string)row[0]!), Number(row[1]), Number(row[2])));
        }

        await files.RecordFilesAsync(runId, table, chunkId, unloaded, cancellationToken).ConfigureAwait(false);
        return await files.ListFilesAsync(runId, table, chunkId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims and loads the chunk's files until none is claimable by this worker; returns the rows it loaded.
    /// A failed file is given back with its error for another attempt, and the failure is thrown.
    /// </summary>
    /// <remarks>With a null <paramref name="chunkId"/> the worker helps with the files of whichever chunks of the table have some left.</remarks>
    public async Task<long> LoadFilesAsync(UnloadedFileLoader loader, Guid runId, string table, int? chunkId, string workerId, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        long rows = 0;
        while (await files.ClaimNextFileAsync(runId, table, chunkId, workerId, staleAfter, cancellationToken).ConfigureAwait(false) is { } claim)
        {
            try
            {
                rows += await loader.LoadAsync(claim, cancellationToken).ConfigureAwait(false);
            }
            catch (SfPgException ex) when (ex.Error == ErrorCatalog.UnloadFileClaimLost)
            {
                // Another worker holds the file now and will commit it; nothing of this attempt remains.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await files.ReleaseAsync(claim, ex.Message, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        return rows;
    }

    /// <summary>
    /// True when every file of the chunk is loaded and the rows add up to what Snowflake unloaded; false while
    /// files are still pending or held. Rows that do not add up are a failure (SFPG5022).
    /// </summary>
    public async Task<bool> AllLoadedAsync(Guid runId, string table, int chunkId, CancellationToken cancellationToken)
    {
        var totals = await files.TotalsAsync(runId, table, chunkId, cancellationToken).ConfigureAwait(false);
        if (!totals.AllLoaded)
        {
            return false;
        }

        if (totals.RowsLoaded != totals.RowsUnloaded)
        {
            throw new SfPgException(ErrorCatalog.UnloadRowsDiffer,
                $"{table} chunk {chunkId}: {totals.RowsLoaded:N0} rows loaded from {totals.Files} file(s), but Snowflake unloaded {totals.RowsUnloaded:N0}.",
                target: $"{table} chunk {chunkId}", recommendedAction: null);
        }

        return true;
    }

    /// <summary>Deletes the chunk's files once it is completed and verified (not with --keep-files), and records it.</summary>
    public async Task DeleteFilesAsync(Guid runId, string table, int chunkId, CancellationToken cancellationToken)
    {
        foreach (var file in await files.ListFilesAsync(runId, table, chunkId, cancellationToken).ConfigureAwait(false))
        {
            await blobs.DeleteAsync(file.FileName, cancellationToken).ConfigureAwait(false);
        }

        await files.MarkDeletedAsync(runId, table, chunkId, cancellationToken).ConfigureAwait(false);
    }

    private static long Number(object? value) => long.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
