using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Get-SfPgRunStatus: one summary per run (tables and chunks by status, rows, rows/s, time left); runs come from the pipeline.</summary>
[Cmdlet(VerbsCommon.Get, "SfPgRunStatus", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(SfPgRunStatus))]
public sealed class GetSfPgRunStatusCommand : SfPgStatusCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public Guid RunId { get; set; }

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();
            WriteObject(CallStatus(connection, (store, ct) => GetStatusAsync(store, RunId, connection, ct)));
        });

    private static async Task<SfPgRunStatus> GetStatusAsync(StatusStore store, Guid runId, SfPgConnection connection, CancellationToken cancellationToken) =>
        SfPgRunStatus.From(await store.Administration.GetRunSummaryAsync(runId, cancellationToken).ConfigureAwait(false), connection);
}
