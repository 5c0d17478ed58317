using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// Stop-SfPgRun: marks a stuck run cancelled (resumable), or with -Complete force-completes a run
/// whose chunks are all completed; the reason is recorded.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "SfPgRun", DefaultParameterSetName = ConfigSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SfPgRun))]
public sealed class StopSfPgRunCommand : SfPgStatusCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public Guid RunId { get; set; }

    [Parameter]
    public SwitchParameter Complete { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() =>
        ForItem(RunId, () =>
        {
            var connection = ResolveConnection();
            var mode = Mode(Complete);
            if (!ShouldProcess($"run {RunId}", mode == RunStopMode.Cancel ? "Mark cancelled" : "Mark completed", Force))
            {
                return;
            }

            var stopped = CallStatus(connection, (store, ct) => StopAsync(store, RunId, Reason, mode, connection, ct));
            if (!stopped.Changed)
            {
                WriteVerbose($"Run {RunId} was already {stopped.Run.Status}.");
            }

            WriteObject(stopped.Run);
        });

    private static async Task<(SfPgRun Run, bool Changed)> StopAsync(
        StatusStore store, Guid runId, string? reason, RunStopMode mode, SfPgConnection connection, CancellationToken cancellationToken)
    {
        var stopped = await store.Administration.StopRunAsync(runId, reason, mode, cancellationToken).ConfigureAwait(false);
        return (SfPgRun.From(stopped.Run, connection), stopped.Changed);
    }

    internal static RunStopMode Mode(bool complete) => complete ? RunStopMode.ForceComplete : RunStopMode.Cancel;
}
