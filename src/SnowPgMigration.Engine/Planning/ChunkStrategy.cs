namespace SnowPgMigration.Engine.Planning;

/// <summary>How a table's rows are split into chunks.</summary>
public enum ChunkStrategy
{
    /// <summary>One chunk holding the whole (filtered) table.</summary>
    SingleChunk,

    /// <summary>Ranges of one orderable key (numbers, text, UUIDs) with boundaries from the data's distribution (its quantiles, or equal ranges of a dense integer key).</summary>
    KeyRange,

    /// <summary>Calendar days of a date or timestamp key, merged up to the batch size.</summary>
    DateRange,

    /// <summary>Calendar days, where a day larger than the batch size is split by ranges of a secondary key.</summary>
    DateRangeWithSubChunks,

    /// <summary>Batches of distinct key values, plus a remainder chunk for values that appear later.</summary>
    GroupedValues,

    /// <summary>LIMIT/OFFSET pages in a deterministic order: the last resort, when nothing orderable is configured.</summary>
    Offset,
}

/// <summary>The names chunk strategies have in the status tables and in config files.</summary>
public static class ChunkStrategyNames
{
    public static string ToName(this ChunkStrategy strategy) => strategy switch
    {
        ChunkStrategy.SingleChunk => "single_chunk",
        ChunkStrategy.KeyRange => "key_range",
        ChunkStrategy.DateRange => "date_range",
        ChunkStrategy.DateRangeWithSubChunks => "date_range_sub_chunks",
        ChunkStrategy.GroupedValues => "grouped_values",
        ChunkStrategy.Offset => "offset",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };

    public static bool TryParse(string? name, out ChunkStrategy strategy)
    {
        foreach (var candidate in Enum.GetValues<ChunkStrategy>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                strategy = candidate;
                return true;
            }
        }

        strategy = default;
        return false;
    }
}
