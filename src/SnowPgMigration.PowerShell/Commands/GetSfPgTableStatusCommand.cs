using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Get-SfPgTableStatus: per-table progress and verification result; runs and tables come from the pipeline.</summary>
[Cmdlet(VerbsCommon.Get, "SfPgTableStatus")]
[OutputType(typeof(SfPgTableStatus))]
public sealed class GetSfPgTableStatusCommand : SfPgStatusCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public Guid? RunId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    [Parameter]
    [ValidateSet("pending", "in_progress", "completed", "failed", "incomplete")]
    public string? Status { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();
            foreach (var table in CallStatus(connection, (store, ct) => store.Administration.ListTablesAsync(BuildQuery(), ct)))
            {
                WriteObject(SfPgTableStatus.From(table, connection));
            }
        });

    internal TableQuery BuildQuery() => new()
    {
        RunId = RunId,
        Table = Table,
        Status = Status is null ? null : StatusText.ParseProgressStatus(Status),
        Limit = First,
    };
}
