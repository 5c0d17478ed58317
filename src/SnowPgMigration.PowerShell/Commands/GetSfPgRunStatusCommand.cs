using System.Management.Automation;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Get-SfPgRunStatus: one summary per run (tables and chunks by status, rows, rows/s, time left); runs come from the pipeline.</summary>
[Cmdlet(VerbsCommon.Get, "SfPgRunStatus")]
[OutputType(typeof(SfPgRunStatus))]
public sealed class GetSfPgRunStatusCommand : SfPgStatusCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public Guid RunId { get; set; }

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();
            var summary = CallStatus(connection, (store, ct) => store.Administration.GetRunSummaryAsync(RunId, ct));
            WriteObject(SfPgRunStatus.From(summary, connection));
        });
}
