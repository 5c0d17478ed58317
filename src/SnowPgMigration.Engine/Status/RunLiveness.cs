using System.Diagnostics;
using System.Globalization;
namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Whether the process behind a run is still at work: the run says running, its heartbeat is fresh,
/// and, when it ran on this host, its process still exists. A live run is never taken over.
/// </summary>
public static class RunLiveness
{
    /// <summary>How long a running run may go without a heartbeat before its owner counts as gone (a migration's stale-claim threshold).</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(2);

    public static bool IsLive(RunRecord run, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Status == RunStatus.Running && run.HeartbeatAge <= staleAfter && !HasLocalProcessEnded(run.HostName, run.ProcessId);
    }

    /// <summary>True for a run that says running while nobody works on it: its process ended on this host, or its heartbeat went stale.</summary>
    public static bool IsOwnerGone(RunRecord run, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Status == RunStatus.Running && !IsLive(run, staleAfter);
    }

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
