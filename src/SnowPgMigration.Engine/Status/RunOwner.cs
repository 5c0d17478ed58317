namespace SnowPgMigration.Engine.Status;

/// <summary>The process that owns a run: its host, its pid, and a token unique to this owner.</summary>
public sealed record RunOwner(string HostName, int ProcessId, Guid? Token)
{
    /// <summary>This process, with a fresh token (two runners in one process are two owners).</summary>
    public static RunOwner ThisProcess() => new(Environment.MachineName, Environment.ProcessId, Guid.NewGuid());
}
