using System.Globalization;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Worker ids for chunk claims: unique across the processes and machines sharing a run, and
/// readable in Get-SfPgChunk (<c>host:pid:worker</c>).
/// </summary>
public static class WorkerIds
{
    /// <summary>The id of worker <paramref name="workerIndex"/> of this process.</summary>
    public static string ForThisProcess(int workerIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{workerIndex}");
}
