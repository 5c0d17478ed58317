using System.Globalization;
using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// Remove-SfPgRun: deletes run history (runs with their tables, chunks and index backups) older than
/// -OlderThan. Running runs are kept unless -IncludeRunning; runs holding dropped, unrestored index
/// definitions are always kept.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "SfPgRun", DefaultParameterSetName = ConfigSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SfPgRunRemoval))]
public sealed class RemoveSfPgRunCommand : SfPgStatusCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public TimeSpan OlderThan { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? RunId { get; set; }

    [Parameter]
    public SwitchParameter IncludeRunning { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();

            // Count first, so the confirmation (and -WhatIf) says exactly what would go.
            var preview = CallStatus(connection, (store, ct) => RemoveAsync(store, BuildRequest(OlderThan, RunId, Source, IncludeRunning.IsPresent, dryRun: true), connection, ct));
            if (preview.RunsRemoved == 0)
            {
                WriteVerbose($"No run in {connection} is older than {OlderThan}{(preview.KeptForIndexRestore.Count > 0 ? $" except {preview.KeptForIndexRestore.Count} kept for index restore" : "")}.");
                return;
            }

            if (!ShouldProcess(connection.ToString(), Describe(preview, OlderThan), Force))
            {
                return;
            }

            WriteObject(CallStatus(connection, (store, ct) => RemoveAsync(store, BuildRequest(OlderThan, RunId, Source, IncludeRunning.IsPresent, dryRun: false), connection, ct)));
        });

    internal static RunRemovalRequest BuildRequest(TimeSpan olderThan, Guid? runId, string? source, bool includeRunning, bool dryRun) => new()
    {
        OlderThan = olderThan,
        RunId = runId,
        Source = source,
        IncludeRunning = includeRunning,
        DryRun = dryRun,
    };

    private static async Task<SfPgRunRemoval> RemoveAsync(StatusStore store, RunRemovalRequest request, SfPgConnection connection, CancellationToken cancellationToken) =>
        SfPgRunRemoval.From(await store.Administration.RemoveRunsAsync(request, cancellationToken).ConfigureAwait(false), connection);

    internal static string Describe(SfPgRunRemoval preview, TimeSpan olderThan) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Remove {preview.RunsRemoved} run(s) idle for more than {olderThan} with {preview.TablesRemoved} table and {preview.ChunksRemoved} chunk status row(s)");
}
