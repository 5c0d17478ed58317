using System.Management.Automation;
using System.Threading.Channels;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// Base of every SnowPgMigration cmdlet: runs one engine call off the pipeline thread and drains
/// the engine's events onto the pipeline thread, the only thread allowed to call Write*.
/// StopProcessing (Ctrl+C) cancels the engine's token.
/// </summary>
public abstract class SfPgCmdlet : PSCmdlet, IDisposable
{
    private const int EventCapacity = 1024;

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user stops the pipeline.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and, until it ends, writes its events here.
    /// Engine errors are rethrown as they are; callers decide whether they terminate.
    /// </summary>
    protected T RunEngine<T>(Func<IEngineReporter, CancellationToken, Task<T>> work)
    {
        // Progress may be dropped under pressure; it is refreshed constantly. Log lines are not dropped
        // in practice: the pipeline thread drains far faster than workers log.
        var events = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(EventCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        var reporter = new ChannelReporter(events.Writer);
        var task = Task.Run(() => work(reporter, _stopping.Token), _stopping.Token);
        _ = task.ContinueWith(_ => events.Writer.TryComplete(), TaskScheduler.Default);

        while (events.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (events.Reader.TryRead(out var engineEvent))
            {
                Render(engineEvent);
            }
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Writes an engine error for one item and lets the pipeline go on.</summary>
    protected void WriteEngineError(SfPgException exception, object? target = null) =>
        WriteError(ErrorRecords.From(exception, target));

    /// <summary>Stops the pipeline with an engine error (bad invocation or config).</summary>
    protected void ThrowEngineError(SfPgException exception, object? target = null) =>
        ThrowTerminatingError(ErrorRecords.From(exception, target));

    /// <summary>A path given by the user, resolved against the current PowerShell location.</summary>
    protected string? ResolvePath(string? path) => CmdletPaths.Resolve(this, path);

    /// <summary>True when -WhatIf is in effect (given, or $WhatIfPreference).</summary>
    protected bool IsWhatIf()
    {
        if (MyInvocation?.BoundParameters.TryGetValue("WhatIf", out var whatIf) == true)
        {
            return whatIf is SwitchParameter { IsPresent: true } or true;
        }

        return GetVariableValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true };
    }

    /// <summary>
    /// ShouldProcess that <paramref name="force"/> answers "yes" to without asking, so runbooks never
    /// prompt; -WhatIf and an explicit -Confirm still win over it.
    /// </summary>
    protected bool ShouldProcess(string target, string action, bool force)
    {
        if (force && !IsWhatIf() && MyInvocation?.BoundParameters.ContainsKey("Confirm") != true)
        {
            return true;
        }

        return ShouldProcess(target, action);
    }

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    private void Render(EngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case LogEvent { Level: EngineLogLevel.Warning } log:
                WriteWarning(log.Message);
                break;
            case LogEvent { Level: EngineLogLevel.Debug } log:
                WriteDebug(log.Message);
                break;
            case LogEvent log:
                WriteVerbose(log.Message);
                break;
            case ProgressEvent progress:
                WriteProgress(ProgressRecords.From(progress));
                break;
        }
    }

    private sealed class ChannelReporter(ChannelWriter<EngineEvent> writer) : IEngineReporter
    {
        public void Report(EngineEvent engineEvent) => writer.TryWrite(engineEvent);
    }
}
