using System.Diagnostics;
using System.Globalization;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Whether the process behind a run is still at work: the run says running, its heartbeat is fresh,
/// and, when it ran on this host, its process still exists. A live run is never taken over.
/// </summary>
internal static class RunLiveness
{
    public static bool IsLive(RunRecord run, TimeSpan staleAfter) =>
        run.Status == RunStatus.Running && run.HeartbeatAge <= staleAfter && !HasLocalProcessEnded(run.HostName, run.ProcessId);

    /// <summary>True when <paramref name="host"/> is this machine and <paramref name="pid"/> is another process that no longer runs.</summary>
    public static bool HasLocalProcessEnded(string? host, int? pid)
    {
        if (pid is not { } id || id == Environment.ProcessId || !string.Equals(host, Environment.MachineName, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Worker ids are <c>host:pid:...</c>; true when the host is this one and the pid is not running.</summary>
    public static bool IsWorkerOfEndedLocalProcess(string workerId)
    {
        var parts = workerId.Split(':');
        return parts.Length >= 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && HasLocalProcessEnded(parts[0], pid);
    }
}
