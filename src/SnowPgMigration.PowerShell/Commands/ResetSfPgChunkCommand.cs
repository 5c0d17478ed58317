using System.Globalization;
using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// Reset-SfPgChunk: puts a chunk back to pending (attempts cleared, its error kept in the history) so
/// the next resume loads it again. Chunks come from the pipeline by RunId, Table and ChunkId.
/// </summary>
[Cmdlet(VerbsCommon.Reset, "SfPgChunk", DefaultParameterSetName = ConfigSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SfPgChunk))]
public sealed class ResetSfPgChunkCommand : SfPgStatusCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public Guid RunId { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    public int ChunkId { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var target = Describe(RunId, Table, ChunkId);
        ForItem(target, () =>
        {
            var connection = ResolveConnection();
            if (!ShouldProcess(target, "Reset chunk to pending", Force))
            {
                return;
            }

            var reset = CallStatus(connection, (store, ct) => ResetAsync(store, RunId, Table, ChunkId, Force.IsPresent, connection, ct));
            if (!reset.Changed)
            {
                WriteVerbose($"{target} is already pending with no attempts; nothing to reset.");
            }
            else if (reset.RunReopened)
            {
                WriteWarning($"Run {RunId} was completed; it is partial again so that a resume loads {target}.");
            }

            WriteObject(reset.Chunk);
        });
    }

    private static async Task<(SfPgChunk Chunk, bool Changed, bool RunReopened)> ResetAsync(
        StatusStore store, Guid runId, string table, int chunkId, bool force, SfPgConnection connection, CancellationToken cancellationToken)
    {
        var reset = await store.Administration.ResetChunkAsync(runId, table, chunkId, force, cancellationToken).ConfigureAwait(false);
        return (SfPgChunk.From(reset.After, connection), reset.Changed, reset.RunStatusChangedTo is not null);
    }

    internal static string Describe(Guid runId, string table, int chunkId) =>
        string.Create(CultureInfo.InvariantCulture, $"chunk {chunkId} of table {table} in run {runId}");
}
