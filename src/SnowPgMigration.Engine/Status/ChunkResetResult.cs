namespace SnowPgMigration.Engine.Status;

/// <summary>What a chunk reset did: the chunk before and after, and whether anything changed.</summary>
public sealed record ChunkResetResult(ChunkRecord Before, ChunkRecord After, bool Changed)
{
    /// <summary>Set when the reset reopened the run (it was completed) so it can be resumed.</summary>
    public RunStatus? RunStatusChangedTo { get; init; }
}
