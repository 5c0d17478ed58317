namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// The smallest and largest key, the rows with a key and all rows in scope: what the first planning statement of a
/// numeric key returns (Snowflake answers it from partition metadata when there is no filter).
/// </summary>
public sealed record KeyProfile(object? Min, object? Max, long KeyedRows, long Rows)
{
    /// <summary>Rows of a dense key per possible key value at least this share, for equal-width buckets to be worth reading.</summary>
    private const int MostKeyValuesPerRow = 4;

    /// <summary>
    /// The width of equal key ranges that hold about <paramref name="bucketSize"/> rows each when the integer key is
    /// dense enough; null when it is not an integer key, is sparse or clustered (its quantiles are read instead), or
    /// its range is too wide for the subtraction to be safe in a 64-bit column.
    /// </summary>
    public long? HistogramWidth(long bucketSize)
    {
        if (Integer(Min) is not { } min || Integer(Max) is not { } max || KeyedRows == 0)
        {
            return null;
        }

        var span = (Int128)max - min + 1;
        if (span > long.MaxValue / 2 || span > (Int128)KeyedRows * MostKeyValuesPerRow)
        {
            return null;
        }

        var buckets = Math.Max(1, (KeyedRows + bucketSize - 1) / bucketSize);
        return (long)Int128.Max(1, (span + buckets - 1) / buckets);
    }

    /// <summary>The smallest key as the histogram's origin; only defined when <see cref="HistogramWidth"/> is.</summary>
    public long Origin => Integer(Min) ?? throw new InvalidOperationException("The key is not an integer.");

    private static long? Integer(object? value) => value switch
    {
        long number => number,
        int number => number,
        short number => number,
        _ => null,
    };
}
