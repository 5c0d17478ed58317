namespace SnowPgMigration.Engine.Planning;

/// <summary>What a chunking column holds, from its configured <c>chunking_column_types</c> entry.</summary>
public enum KeyKind
{
    Number,
    Text,
    Date,
    Timestamp,
}

/// <summary>Maps the type names config files use to <see cref="KeyKind"/>.</summary>
public static class KeyKinds
{
    private static readonly Dictionary<string, KeyKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["int"] = KeyKind.Number,
        ["integer"] = KeyKind.Number,
        ["bigint"] = KeyKind.Number,
        ["smallint"] = KeyKind.Number,
        ["number"] = KeyKind.Number,
        ["numeric"] = KeyKind.Number,
        ["decimal"] = KeyKind.Number,
        ["varchar"] = KeyKind.Text,
        ["text"] = KeyKind.Text,
        ["string"] = KeyKind.Text,
        ["char"] = KeyKind.Text,
        ["uuid"] = KeyKind.Text,
        ["date"] = KeyKind.Date,
        ["timestamp"] = KeyKind.Timestamp,
        ["timestamp_ntz"] = KeyKind.Timestamp,
        ["timestamp_ltz"] = KeyKind.Timestamp,
        ["timestamp_tz"] = KeyKind.Timestamp,
        ["datetime"] = KeyKind.Timestamp,
    };

    /// <summary>Every type name accepted in <c>chunking_column_types</c>.</summary>
    public static IReadOnlyCollection<string> SupportedNames => ByName.Keys;

    public static bool TryParse(string? name, out KeyKind kind)
    {
        if (name is not null && ByName.TryGetValue(name.Trim(), out kind))
        {
            return true;
        }

        kind = default;
        return false;
    }
}
