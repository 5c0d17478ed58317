using System.Management.Automation;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Get-SfPgRun: runs of the status schema, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "SfPgRun", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(SfPgRun))]
public sealed class GetSfPgRunCommand : SfPgStatusCmdlet
{
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(10);

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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

    [Parameter]
    public SwitchParameter IncludeLegacy { get; set; }

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();
            var query = BuildQuery(RunId, Source, Status, Last, Stale.IsPresent, StaleAfter);
            var runs = CallStatus(connection, (store, ct) => GetRunsAsync(store, query, connection, ct));
            if (IncludeLegacy)
            {
                runs = [.. runs, .. CallStatus(connection, (store, ct) => GetLegacyRunsAsync(store, query, connection, ct))];
            }

            if (RunId is { } id && runs.Count == 0)
            {
                WriteEngineError(new SfPgException(ErrorCatalog.RunNotFound, $"No run {id} in the status database {connection}.", id.ToString(), null), id);
            }

            foreach (var run in runs)
            {
                WriteObject(run);
            }
        });

    internal static RunQuery BuildQuery(Guid? runId, string? source, string? status, int? last, bool stale, TimeSpan staleAfter) => new()
    {
        RunId = runId,
        Source = source,
        Status = status is null ? null : StatusText.ParseRunStatus(status),
        Last = last,
        StaleAfter = stale ? staleAfter : null,
    };

    private static async Task<IReadOnlyList<SfPgRun>> GetLegacyRunsAsync(StatusStore store, RunQuery query, SfPgConnection connection, CancellationToken cancellationToken) =>
        (await LegacyRunHistory.ListAsync(store, query, cancellationToken).ConfigureAwait(false))
            .Select(run => SfPgRun.From(run, connection))
            .ToList();

    private static async Task<IReadOnlyList<SfPgRun>> GetRunsAsync(StatusStore store, RunQuery query, SfPgConnection connection, CancellationToken cancellationToken)
    {
        var runs = await store.Administration.ListRunsAsync(query, cancellationToken).ConfigureAwait(false);
        var result = new List<SfPgRun>(runs.Count);
        foreach (var run in runs)
        {
            // A running run's stored counters are as old as its last heartbeat; its summary counts its tables and chunks now.
            result.Add(run.Status == RunStatus.Running
                ? SfPgRun.From(await store.Administration.GetRunSummaryAsync(run.RunId, cancellationToken).ConfigureAwait(false), connection)
                : SfPgRun.From(run, connection));
        }

        return result;
    }
}
