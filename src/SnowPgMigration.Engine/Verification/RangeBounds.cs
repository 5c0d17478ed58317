using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Verification;

/// <summary>One range of a table's key space to compare: a chunk's stored strategy and bounds (a run's, or a fresh plan's).</summary>
public sealed record RangeBounds(int RangeId, string Strategy, string? BoundsJson)
{
    /// <summary>
    /// A run's chunks as ranges over the whole table, or null when they cover only part of it: an incremental run
    /// plans only rows newer than the target's watermark, so its few chunks say little about the rest of the table.
    /// </summary>
    public static IReadOnlyList<RangeBounds>? WholeTableOf(IReadOnlyList<ChunkRecord> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        if (chunks.Count == 0 || chunks.Any(c => ChunkBoundsJson.Read(c.BoundsJson)?.WatermarkColumn is not null))
        {
            return null;
        }

        return chunks.Select(c => new RangeBounds(c.ChunkId, c.Strategy, c.BoundsJson)).ToList();
    }

    /// <summary>A fresh plan's chunks as ranges.</summary>
    public static IReadOnlyList<RangeBounds> Of(TablePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Chunks.Select(c => new RangeBounds(c.ChunkId, c.Strategy.ToName(), ChunkBoundsJson.Write(c.Bounds))).ToList();
    }
}
