namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Snowflake identifier rules: the one quoting function, and name normalisation.</summary>
public static class SnowflakeIdentifier
{
    /// <summary>Quotes one identifier exactly as stored: <c>Payer Id</c> becomes <c>"Payer Id"</c>.</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Quotes a qualified name part by part: <c>"DB"."SCHEMA"."TABLE"</c>.</summary>
    public static string Quote(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("A qualified name needs at least one part.", nameof(parts));
        }

        return string.Join(".", parts.Select(Quote));
    }

    /// <summary>
    /// The name Snowflake stores for an identifier as written in SQL or a config: an unquoted name
    /// is upper-cased (<c>orders</c> is <c>ORDERS</c>), a double-quoted one keeps its case with
    /// <c>""</c> read as <c>"</c> (<c>"Orders"</c> is <c>Orders</c>). Text that cannot be an unquoted
    /// identifier (a space, a hyphen, a leading digit) can only name an object created quoted, so
    /// it is kept as written.
    /// </summary>
    public static string Normalize(string written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var name = written.Trim();
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
        {
            return name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        return IsUnquotedIdentifier(name) ? name.ToUpperInvariant() : name;
    }

    /// <summary>True for a name Snowflake accepts unquoted: a letter or underscore, then letters, digits, <c>_</c> or <c>$</c>.</summary>
    public static bool IsUnquotedIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !(IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(IsAsciiLetter(c) || char.IsAsciiDigit(c) || c is '_' or '$'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => char.IsAsciiLetter(c);
}
