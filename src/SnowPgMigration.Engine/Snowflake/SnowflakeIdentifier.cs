using SnowPgMigration.Engine.Config;

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
    /// <remarks>Malformed text (a stray quote) is returned trimmed; config validation reports it first.</remarks>
    public static string Normalize(string written)
    {
        ArgumentNullException.ThrowIfNull(written);
        return SnowflakeName.TryNormalize(written, out var normalized, out _) ? normalized : written.Trim();
    }
}
