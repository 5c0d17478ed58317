namespace SnowPgMigration.Engine.Status;

/// <summary>What a removal deleted (or, for a dry run, would delete), and which runs it kept and why.</summary>
public sealed record RunRemovalResult
{
    public required IReadOnlyList<Guid> RemovedRunIds { get; init; }

    public int TablesRemoved { get; init; }

    public int ChunksRemoved { get; init; }

    public int IndexBackupsRemoved { get; init; }

    /// <summary>Runs old enough but kept because they hold dropped, unrestored index definitions.</summary>
    public required IReadOnlyList<Guid> KeptForIndexRestore { get; init; }

    /// <summary>Runs matched but kept because their owner is still at work (running, with a fresh heartbeat).</summary>
    public IReadOnlyList<Guid> KeptLive { get; init; } = [];

    public bool DryRun { get; init; }

    public int RunsRemoved => RemovedRunIds.Count;
}
