using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SnowPgMigration.PowerShell.Commands;

namespace SnowPgMigration.Tests.Hosted.Infrastructure;

/// <summary>
/// A real PowerShell runspace with the module's cmdlets and format data loaded, as
/// <c>Import-Module</c> leaves a session. Each <see cref="Run"/> is one pipeline; its streams come back
/// with it.
/// </summary>
public sealed class HostedSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <param name="host">The host, for a test that answers prompts; none (nothing can ask) otherwise.</param>
    public HostedSession(System.Management.Automation.Host.PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(GetSfPgRunCommand).Assembly.Location);
        state.Formats.Add(new SessionStateFormatEntry(RepositoryFiles.Path("module", "SnowPgMigration.Format.ps1xml")));
        _runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="variables"/> set as $name.</summary>
    public Result Run(string script, IReadOnlyDictionary<string, object?>? variables = null)
    {
        using var shell = Prepare(script, variables);
        var output = shell.Invoke();
        return Collect(shell, output);
    }

    /// <summary>
    /// <paramref name="script"/> as a pipeline not yet started, for a test that starts it
    /// (<c>BeginInvoke</c>) and stops it (<c>Stop</c>) as a host does; <see cref="Collect"/> reads its streams.
    /// </summary>
    public System.Management.Automation.PowerShell Prepare(string script, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = _runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        shell.AddScript(script);
        return shell;
    }

    public static Result Collect(System.Management.Automation.PowerShell shell, Collection<PSObject> output) =>
        new(output, shell.Streams.Error.ToList(), shell.Streams.Progress.ToList(), shell.Streams.Warning.ToList(), shell.Streams.Verbose.ToList(), shell.HadErrors);

    public void Dispose() => _runspace.Dispose();

    public sealed record Result(
        Collection<PSObject> Output,
        IReadOnlyList<ErrorRecord> Errors,
        IReadOnlyList<ProgressRecord> Progress,
        IReadOnlyList<WarningRecord> Warnings,
        IReadOnlyList<VerboseRecord> Verbose,
        bool HadErrors);
}
