namespace SnowPgMigration.Engine.Config;

/// <summary>The values <c>chunking_column_types</c> accepts, and the chunk-key family each belongs to.</summary>
public static class ChunkingColumnTypes
{
    private static readonly Dictionary<string, ChunkKeyFamily> Families = new(StringComparer.Ordinal)
    {
        ["int"] = ChunkKeyFamily.Numeric,
        ["integer"] = ChunkKeyFamily.Numeric,
        ["smallint"] = ChunkKeyFamily.Numeric,
        ["bigint"] = ChunkKeyFamily.Numeric,
        ["number"] = ChunkKeyFamily.Numeric,
        ["numeric"] = ChunkKeyFamily.Numeric,
        ["decimal"] = ChunkKeyFamily.Numeric,
        ["uuid"] = ChunkKeyFamily.Text,
        ["varchar"] = ChunkKeyFamily.Text,
        ["string"] = ChunkKeyFamily.Text,
        ["text"] = ChunkKeyFamily.Text,
        ["char"] = ChunkKeyFamily.Text,

        // The older tool's name for a text column holding numbers. Chunk bounds compare the column as it is
        // stored (text), so each row still falls in exactly one chunk whatever its numeric order.
        ["varchar_numeric"] = ChunkKeyFamily.Text,
        ["date"] = ChunkKeyFamily.Temporal,
        ["timestamp"] = ChunkKeyFamily.Temporal,
        ["timestamp_ntz"] = ChunkKeyFamily.Temporal,
        ["timestamp_ltz"] = ChunkKeyFamily.Temporal,
        ["timestamp_tz"] = ChunkKeyFamily.Temporal,
        ["datetime"] = ChunkKeyFamily.Temporal,
    };

    /// <summary>Every accepted type name, lower case.</summary>
    public static IReadOnlyCollection<string> Supported => Families.Keys;

    /// <summary>The family of a type name (any case); null when the type is not supported.</summary>
    public static ChunkKeyFamily? FamilyOf(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        return Families.TryGetValue(typeName.Trim().ToLowerInvariant(), out var family) ? family : null;
    }
}

/// <summary>How a chunk key's values are ordered and split.</summary>
public enum ChunkKeyFamily
{
    Numeric,
    Text,
    Temporal,
}
