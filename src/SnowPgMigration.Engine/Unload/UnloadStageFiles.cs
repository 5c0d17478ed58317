using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// A run's files of one table in the stage, as a whole: its folder (<c>&lt;prefix&gt;/&lt;run&gt;/&lt;table&gt;/</c>)
/// is recorded before any chunk is unloaded, emptied once the table is completed and verified (or marked kept for
/// audit), and the folders that runs no longer at work left for the table are emptied by the next run that loads it.
/// Folders are emptied by listing them, not from the recorded files, so files Snowflake wrote for an unload whose
/// answer was never recorded (the process stopped during the COPY INTO) go too.
/// </summary>
public sealed class UnloadStageFiles
{
    // One pool for every unload table of the process; the SAS travels per request, never in the client.
    internal static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly AzureBlobClient _blobs;
    private readonly UnloadFileStore _files;
    private readonly UnloadFolderStore _folders;
    private readonly RunStore _runs;

    public UnloadStageFiles(NpgsqlDataSource target, StageSettings stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        _blobs = new AzureBlobClient(Http, stage.Location, stage.SasToken!);
        _files = new UnloadFileStore(target);
        _folders = new UnloadFolderStore(target);
        _runs = new RunStore(new StatusDatabase(target));
    }

    /// <summary>The run's folder of the table below the stage prefix.</summary>
    public BlobStageLocation FolderOf(Guid runId, string table) => _blobs.Stage.Below($"{runId:N}/{table}");

    /// <summary>Records the run's folder of the table before its first chunk is unloaded.</summary>
    public Task RecordAsync(Guid runId, string schema, string table, CancellationToken cancellationToken) =>
        _folders.RecordAsync(runId, schema, table, FolderOf(runId, table).SnowflakeUrl, cancellationToken);

    /// <summary>
    /// Empties the run's folder of the table after its verdict, unless it was emptied or kept already. A failure
    /// only leaves files behind (the table stays completed): returns the folder and why, or null.
    /// </summary>
    public async Task<UnloadLeftover?> DeleteAsync(Guid runId, string schema, string table, CancellationToken cancellationToken)
    {
        var folder = FolderOf(runId, table);
        try
        {
            if (await _folders.StateAsync(runId, schema, table, cancellationToken).ConfigureAwait(false) is UnloadFolderStore.Deleted or UnloadFolderStore.Kept)
            {
                return null;
            }

            await EmptyAsync(folder, cancellationToken).ConfigureAwait(false);
            await _files.MarkTableDeletedAsync(runId, table, cancellationToken).ConfigureAwait(false);
            await _folders.MarkAsync(runId, schema, table, UnloadFolderStore.Deleted, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is SfPgException or HttpRequestException or NpgsqlException)
        {
            return new UnloadLeftover(runId, folder.SnowflakeUrl, ex.Message);
        }
    }

    /// <summary>Keeps the run's folder of the table for audit (--keep-files): no later run deletes it.</summary>
    public Task KeepAsync(Guid runId, string schema, string table, CancellationToken cancellationToken) =>
        _folders.MarkAsync(runId, schema, table, UnloadFolderStore.Kept, cancellationToken);

    /// <summary>
    /// Empties the folders of the table that other runs left in the stage, once those runs are no longer at work
    /// (ended, killed, stale, or removed): this run now loads the table, so no run will load those files. Returns the
    /// folders emptied and those left (a folder outside this stage, or a failed request), each with why.
    /// </summary>
    public async Task<(IReadOnlyList<UnloadLeftover> Deleted, IReadOnlyList<UnloadLeftover> Left)> DeleteAbandonedAsync(
        Guid runId, string schema, string table, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var deleted = new List<UnloadLeftover>();
        var left = new List<UnloadLeftover>();
        foreach (var (otherRun, folderUrl) in await _folders.LeftByOtherRunsAsync(runId, schema, table, cancellationToken).ConfigureAwait(false))
        {
            var run = await _runs.GetRunAsync(otherRun, cancellationToken).ConfigureAwait(false);
            if (run is not null && RunLiveness.IsLive(run, staleAfter))
            {
                continue;
            }

            var why = run is null ? "its run was removed"
                : run.Status == RunStatus.Running ? "its run stopped without ending (its process is gone)"
                : $"its run ended {StatusText.ToText(run.Status)}";
            var folder = FolderOf(otherRun, table);
            if (!string.Equals(folder.SnowflakeUrl, folderUrl, StringComparison.Ordinal))
            {
                left.Add(new UnloadLeftover(otherRun, folderUrl, $"{why}, and the folder is outside this config's stage."));
                continue;
            }

            try
            {
                await EmptyAsync(folder, cancellationToken).ConfigureAwait(false);
                await _files.MarkTableDeletedAsync(otherRun, table, cancellationToken).ConfigureAwait(false);
                await _folders.MarkAsync(otherRun, schema, table, UnloadFolderStore.Deleted, cancellationToken).ConfigureAwait(false);
                deleted.Add(new UnloadLeftover(otherRun, folderUrl, why));
            }
            catch (Exception ex) when (ex is SfPgException or HttpRequestException or NpgsqlException)
            {
                left.Add(new UnloadLeftover(otherRun, folderUrl, ex.Message));
            }
        }

        return (deleted, left);
    }

    private async Task EmptyAsync(BlobStageLocation folder, CancellationToken cancellationToken)
    {
        foreach (var blob in await _blobs.ListAsync(folder.Prefix + "/", cancellationToken).ConfigureAwait(false))
        {
            await _blobs.DeleteAsync(blob.Name, cancellationToken).ConfigureAwait(false);
        }
    }
}
