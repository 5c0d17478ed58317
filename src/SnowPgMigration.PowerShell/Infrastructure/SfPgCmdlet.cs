using System.Management.Automation;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>
/// Base of every SnowPgMigration cmdlet: runs one engine call off the pipeline thread and drains
/// the engine's events onto the pipeline thread, the only thread allowed to call Write*.
/// StopProcessing (Ctrl+C, Stop(), Stop-Job) cancels the engine's token and returns only once the engine
/// call has ended (a migration: its run recorded cancelled, its indexes restored), for at most
/// <see cref="StopGrace"/>: a job host may end the process as soon as the stop returns.
/// </summary>
public abstract class SfPgCmdlet : PSCmdlet, IDisposable
{
    /// <summary>How long a stop waits for the engine to record its end.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _engine;
    private RunIdRecorder? _runs;

    /// <summary>Cancelled when the user stops the pipeline.</summary>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and, until it ends, writes its events here.
    /// Engine errors are rethrown as they are; callers decide whether they terminate.
    /// </summary>
    protected T RunEngine<T>(Func<IEngineReporter, CancellationToken, Task<T>> work)
    {
        var events = new EngineEventQueue();
        var runs = new RunIdRecorder();
        _runs = runs;
        var reporter = EngineReporter.Create(
            log =>
            {
                runs.Observe(log);
                events.Report(log);
            },
            events.Report,
            LogLevelOfSession());
        var task = Task.Run(() => work(reporter, _stopping.Token), _stopping.Token);
        _engine = task;
        _ = task.ContinueWith(_ => events.Complete(), TaskScheduler.Default);

        while (events.WaitToRead())
        {
            while (events.TryRead(out var engineEvent))
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

    protected override void StopProcessing()
    {
        _stopping.Cancel();
        if (!WaitForEngine(_engine, StopGrace))
        {
            // The pipeline thread may no longer write once stopping; the host is the only way left to warn.
            var runs = _runs is { RunIds.Count: > 0 } recorder ? "run " + string.Join(", ", recorder.RunIds) : "the run";
            Host?.UI?.WriteWarningLine(
                $"{ErrorCatalog.StopWaitExpired.Code}: {runs} did not record its end within {StopGrace.TotalSeconds:0} s of the stop. {ErrorCatalog.StopWaitExpired.RecommendedAction}");
        }
    }

    /// <summary>True when <paramref name="engine"/> (if any) ended within <paramref name="grace"/>; never throws its failure.</summary>
    internal static bool WaitForEngine(Task? engine, TimeSpan grace) =>
        engine is null || Task.WhenAny(engine, Task.Delay(grace)).GetAwaiter().GetResult() == engine;

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

    /// <summary>Debug detail (Npgsql's own log included) only when -Debug or $DebugPreference asks for it; verbose otherwise.</summary>
    private EngineLogLevel LogLevelOfSession()
    {
        var debugSwitch = MyInvocation?.BoundParameters.TryGetValue("Debug", out var debug) == true && debug is SwitchParameter { IsPresent: true } or true;
        var debugPreference = GetVariableValue("DebugPreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue;
        return debugSwitch || debugPreference ? EngineLogLevel.Debug : EngineLogLevel.Verbose;
    }

    private void Render(EngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case LogEvent { Level: EngineLogLevel.Warning or EngineLogLevel.Error } log:
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
}
