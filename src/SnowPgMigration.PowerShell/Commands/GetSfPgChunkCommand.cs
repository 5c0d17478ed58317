using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Get-SfPgChunk: chunks of runs and tables, by status or stale claim; runs and tables come from the pipeline.</summary>
[Cmdlet(VerbsCommon.Get, "SfPgChunk", DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(SfPgChunk))]
public sealed class GetSfPgChunkCommand : SfPgStatusCmdlet
{
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(2);

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
    public SwitchParameter Stale { get; set; }

    [Parameter]
    public TimeSpan StaleAfter { get; set; } = DefaultStaleAfter;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();
            var query = BuildQuery(RunId, Table, Status, Stale.IsPresent, StaleAfter, First);
            foreach (var chunk in CallStatus(connection, (store, ct) => GetChunksAsync(store, query, connection, ct)))
            {
                WriteObject(chunk);
            }
        });

    internal static ChunkQuery BuildQuery(Guid? runId, string? table, string? status, bool stale, TimeSpan staleAfter, int? first) => new()
    {
        RunId = runId,
        Table = table,
        Status = status is null ? null : StatusText.ParseProgressStatus(status),
        StaleAfter = stale ? staleAfter : null,
        Limit = first,
    };

    private static async Task<IReadOnlyList<SfPgChunk>> GetChunksAsync(StatusStore store, ChunkQuery query, SfPgConnection connection, CancellationToken cancellationToken)
    {
        var chunks = await store.Administration.ListChunksAsync(query, cancellationToken).ConfigureAwait(false);
        return chunks.Select(c => SfPgChunk.From(c, connection)).ToList();
    }
}
