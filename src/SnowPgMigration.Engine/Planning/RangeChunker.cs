namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// Turns buckets of a key (quantiles, or equal ranges of a dense integer key) into contiguous ranges of at most <c>batchSize</c> rows that
/// together cover the whole key space: the first range is open below, the last open above.
/// </summary>
/// <remarks>
/// Buckets are fine-grained (a tenth of the batch size), so a range only exceeds the batch size
/// when one key value holds nearly a batch by itself. Row counts are exact: rows equal to a
/// bucket's largest key are credited to the range that starts at that key when the next bucket
/// starts there too.
/// </remarks>
public static class RangeChunker
{
    /// <summary>The bucket size planning statements use for a given batch size.</summary>
    public static long BucketSize(int batchSize) => Math.Max(1, batchSize / 10);

    /// <param name="buckets">Non-null buckets in key order.</param>
    public static IReadOnlyList<KeyRange> Chunk(IReadOnlyList<KeyBucket> buckets, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var atoms = Atoms(buckets);
        if (atoms.Count == 0)
        {
            return [new KeyRange(null, null, 0)];
        }

        var starts = new List<(object Start, long Rows)>();
        long rows = 0;
        object? start = null;
        foreach (var (key, count) in atoms)
        {
            if (start is not null && rows > 0 && rows + count > batchSize)
            {
                starts.Add((start, rows));
                start = null;
                rows = 0;
            }

            start ??= key;
            rows += count;
        }

        starts.Add((start!, rows));

        var ranges = new List<KeyRange>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var lower = i == 0 ? null : starts[i].Start;
            var upper = i == starts.Count - 1 ? null : starts[i + 1].Start;
            ranges.Add(new KeyRange(lower, upper, starts[i].Rows));
        }

        return ranges;
    }

    /// <summary>
    /// The distinct bucket minimums in order, each with the exact number of rows whose key lies
    /// between it (inclusive) and the next one (exclusive).
    /// </summary>
    internal static List<(object Key, long Rows)> Atoms(IReadOnlyList<KeyBucket> buckets)
    {
        var atoms = new List<(object Key, long Rows)>();
        for (var i = 0; i < buckets.Count; i++)
        {
            var bucket = buckets[i];
            if (bucket.IsNullKeys || bucket.Count == 0)
            {
                continue;
            }

            if (atoms.Count == 0 || !Equals(atoms[^1].Key, bucket.Min))
            {
                atoms.Add((bucket.Min!, 0));
            }

            var nonTail = bucket.Count - bucket.TailCount;
            var tailMovesOn = i + 1 < buckets.Count && !buckets[i + 1].IsNullKeys && Equals(buckets[i + 1].Min, bucket.Max)
                && !Equals(bucket.Min, bucket.Max);
            if (tailMovesOn)
            {
                atoms[^1] = (atoms[^1].Key, atoms[^1].Rows + nonTail);
                atoms.Add((bucket.Max!, bucket.TailCount));
            }
            else
            {
                atoms[^1] = (atoms[^1].Key, atoms[^1].Rows + bucket.Count);
            }
        }

        return atoms;
    }
}
