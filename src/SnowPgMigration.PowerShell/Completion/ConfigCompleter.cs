using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace SnowPgMigration.PowerShell.Completion;

/// <summary>Completion from the config file named on the same command line (-ConfigPath or -Path).</summary>
public abstract class ConfigCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Candidates(wordToComplete, fakeBoundParameters)
            .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n))
            .ToList();

    /// <summary>The names that start with what was typed so far (quotes ignored).</summary>
    internal List<string> Candidates(string? wordToComplete, IDictionary? boundParameters)
    {
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        return Names(ConfigPathOf(boundParameters), boundParameters)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>The candidate names for the parameter being completed.</summary>
    internal abstract IEnumerable<string> Names(string? configPath, IDictionary? boundParameters);

    internal static string? ConfigPathOf(IDictionary? boundParameters)
    {
        var given = boundParameters?["ConfigPath"] ?? boundParameters?["Path"];
        var path = given is PSObject wrapped ? wrapped.BaseObject?.ToString() : given?.ToString();
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (Path.IsPathRooted(path))
        {
            return path;
        }

        return SessionPath(path) ?? Path.GetFullPath(path);
    }

    /// <summary>
    /// <paramref name="path"/> resolved by the session that asks for completion (its current location,
    /// <c>~</c>, drives). A completer runs on that session's pipeline thread, where its runspace is busy
    /// (<c>Runspace.DefaultRunspace.SessionStateProxy</c> throws), so it asks through a nested command.
    /// </summary>
    private static string? SessionPath(string path)
    {
        if (Runspace.DefaultRunspace is null)
        {
            return null;
        }

        try
        {
            using var session = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            var resolved = session
                .AddScript("param($path) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path)")
                .AddArgument(path)
                .Invoke();
            return resolved.Count == 1 && resolved[0]?.BaseObject is string { Length: > 0 } full ? full : null;
        }
        catch (Exception e) when (e is InvalidOperationException or RuntimeException)
        {
            // No usable session (a non-filesystem drive, a runspace on another thread): completion offers nothing better.
            return null;
        }
    }

    internal static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ';' or ',' or '(' or ')' or '{' or '}' or '@' or '#')
            ? "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'"
            : name;
}
