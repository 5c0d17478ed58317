namespace SnowPgMigration.Engine.Status;

/// <summary>
/// A worker's hold on one chunk. <see cref="ClaimId"/> is new for every claim; the chunk can be
/// completed, failed or given back only while it is still the chunk's current claim.
/// </summary>
public sealed record ChunkClaim(ChunkRecord Chunk, Guid ClaimId)
{
    public Guid RunId => Chunk.RunId;

    public string Table => Chunk.Table;

    public int ChunkId => Chunk.ChunkId;

    public string WorkerId => Chunk.WorkerId ?? "";

    /// <summary>Which attempt this claim is (1 for the first).</summary>
    public int Attempt => Chunk.Attempts;
}
