using System.Management.Automation;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Get-SfPgRun: runs of the status schema, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "SfPgRun")]
[OutputType(typeof(SfPgRun))]
public sealed class GetSfPgRunCommand : SfPgStatusCmdlet
{
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(10);

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public Guid? RunId { get; set; }

    [Parameter]
    [ValidateSet("running", "completed", "completed_with_errors", "partial", "failed", "cancelled")]
    public string? Status { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    [Parameter]
    public SwitchParameter Stale { get; set; }

    [Parameter]
    public TimeSpan StaleAfter { get; set; } = DefaultStaleAfter;

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();
            var runs = CallStatus(connection, (store, ct) => store.Administration.ListRunsAsync(BuildQuery(), ct));
            if (RunId is { } id && runs.Count == 0)
            {
                WriteEngineError(new SfPgException(ErrorCatalog.RunNotFound, $"No run {id} in the status database {connection}.", id.ToString(), null), id);
            }

            foreach (var run in runs)
            {
                WriteObject(SfPgRun.From(run, connection));
            }
        });

    internal RunQuery BuildQuery() => new()
    {
        RunId = RunId,
        Source = Source,
        Status = Status is null ? null : StatusText.ParseRunStatus(Status),
        Last = Last,
        StaleAfter = Stale ? StaleAfter : null,
    };
}
