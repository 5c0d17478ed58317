using System.Management.Automation;

namespace SnowPgMigration.PowerShell.Infrastructure;

/// <summary>Resolves user-given paths the way PowerShell users expect: against the current location, not the process's.</summary>
internal static class CmdletPaths
{
    public static string? Resolve(PSCmdlet cmdlet, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        // Outside a running pipeline (tests) there is no session state; the process folder is then the base.
        var resolved = cmdlet.SessionState?.Path.GetUnresolvedProviderPathFromPSPath(path);
        return string.IsNullOrEmpty(resolved) ? Path.GetFullPath(path) : resolved;
    }
}
