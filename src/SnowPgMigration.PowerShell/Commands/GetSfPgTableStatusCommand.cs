using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Get-SfPgTableStatus: per-table progress and verification result; runs and tables come from the pipeline.</summary>
[Cmdlet(VerbsCommon.Get, "SfPgTableStatus", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(SfPgTableStatus))]
public sealed class GetSfPgTableStatusCommand : SfPgStatusCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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
            var query = BuildQuery(RunId, Table, Status, First);
            foreach (var table in CallStatus(connection, (store, ct) => GetTablesAsync(store, query, connection, ct)))
            {
                WriteObject(table);
            }
        });

    internal static TableQuery BuildQuery(Guid? runId, string? table, string? status, int? first) => new()
    {
        RunId = runId,
        Table = table,
        Status = status is null ? null : StatusText.ParseProgressStatus(status),
        Limit = first,
    };

    private static async Task<IReadOnlyList<SfPgTableStatus>> GetTablesAsync(StatusStore store, TableQuery query, SfPgConnection connection, CancellationToken cancellationToken)
    {
        var tables = await store.Administration.ListTablesAsync(query, cancellationToken).ConfigureAwait(false);
        return tables.Select(t => SfPgTableStatus.From(t, connection)).ToList();
    }
}
