using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace SnowPgMigration.Tests.Integration.PowerShell;

/// <summary>
/// Stands in for the pipeline a cmdlet writes to, so a cmdlet's own code path (events drained onto the
/// calling thread, Write*) runs in a test process; everything written is kept, every ShouldProcess says yes.
/// </summary>
internal sealed class RecordingCommandRuntime : ICommandRuntime
{
    public ConcurrentQueue<object?> Written { get; } = new();

    public ConcurrentQueue<string> Warnings { get; } = new();

    public PSHost? Host => null;

    public PSTransactionContext? CurrentPSTransaction => null;

    public bool ShouldContinue(string query, string caption) => true;

    public bool ShouldContinue(string query, string caption, ref bool yesToAll, ref bool noToAll) => true;

    public bool ShouldProcess(string target) => true;

    public bool ShouldProcess(string target, string action) => true;

    public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) => true;

    public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption, out ShouldProcessReason shouldProcessReason)
    {
        shouldProcessReason = ShouldProcessReason.None;
        return true;
    }

    public void ThrowTerminatingError(ErrorRecord errorRecord) => throw errorRecord.Exception;

    public bool TransactionAvailable() => false;

    public void WriteCommandDetail(string text)
    {
    }

    public void WriteDebug(string text)
    {
    }

    public void WriteError(ErrorRecord errorRecord) => Written.Enqueue(errorRecord);

    public void WriteObject(object sendToPipeline) => Written.Enqueue(sendToPipeline);

    public void WriteObject(object sendToPipeline, bool enumerateCollection) => Written.Enqueue(sendToPipeline);

    public void WriteProgress(ProgressRecord progressRecord)
    {
    }

    public void WriteProgress(long sourceId, ProgressRecord progressRecord)
    {
    }

    public void WriteVerbose(string text)
    {
    }

    public void WriteWarning(string text) => Warnings.Enqueue(text);
}
