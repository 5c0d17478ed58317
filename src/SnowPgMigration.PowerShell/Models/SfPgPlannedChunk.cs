namespace SnowPgMigration.PowerShell.Models;

/// <summary>One chunk of a dry-run plan.</summary>
public sealed class SfPgPlannedChunk
{
    internal SfPgPlannedChunk(int chunkId, string predicate, long expectedRows)
    {
        ChunkId = chunkId;
        Predicate = predicate;
        ExpectedRows = expectedRows;
    }

    public int ChunkId { get; }

    /// <summary>The Snowflake predicate that selects the chunk's rows.</summary>
    public string Predicate { get; }

    public long ExpectedRows { get; }
}
