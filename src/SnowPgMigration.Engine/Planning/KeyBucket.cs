namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// One bucket of a key, as a planning statement returns it: consecutive rows in key order (a quantile, or an
/// equal range of an integer key), their smallest and largest key, how many rows, and how many of them equal the
/// largest key (the tail), which may continue in the next quantile bucket.
/// </summary>
/// <param name="Partition">The group the bucket belongs to (a calendar day for sub-chunks), or null.</param>
/// <param name="Min">Smallest key; null only for the bucket of NULL keys.</param>
public sealed record KeyBucket(object? Partition, object? Min, object? Max, long Count, long TailCount)
{
    public bool IsNullKeys => Min is null;
}
