namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// The smallest and largest key, the rows with a key and all rows in scope: what the first planning statement of a
/// numeric key returns (Snowflake can answer it from partition metadata when there is no filter).
/// </summary>
public sealed record KeyProfile(object? Min, object? Max, long KeyedRows, long Rows)
{
    /// <summary>Most possible key values per row for equal ranges to be tried: a sparser key reads its quantiles.</summary>
    private const int MostKeyValuesPerRow = 4;

    /// <summary>
    /// Equal key ranges that hold about <paramref name="bucketSize"/> rows each, from the smallest key, when the key
    /// is an integer dense enough; null when it is not an integer, is sparse (its quantiles are read instead), or its
    /// range is too wide for the subtraction to be safe in a 64-bit column.
    /// </summary>
    public (long Origin, long Width)? EqualRanges(long bucketSize)
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
        return (min, (long)Int128.Max(1, (span + buckets - 1) / buckets));
    }

    private static long? Integer(object? value) => value switch
    {
        long number => number,
        int number => number,
        short number => number,
        _ => null,
    };
}
