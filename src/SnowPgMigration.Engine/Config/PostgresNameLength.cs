using System.Text;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// PostgreSQL keeps the first 63 bytes (UTF-8) of a name and drops the rest, cutting only between whole
/// characters; two names equal in those bytes are the same table or column.
/// </summary>
public static class PostgresNameLength
{
    /// <summary>NAMEDATALEN - 1 of a stock PostgreSQL build.</summary>
    public const int MaxBytes = 63;

    public static int ByteCount(string name) => Encoding.UTF8.GetByteCount(name);

    public static bool IsTooLong(string name) => ByteCount(name) > MaxBytes;

    /// <summary>The name PostgreSQL stores for <paramref name="name"/>: at most 63 bytes, never half a character.</summary>
    public static string Truncate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsTooLong(name))
        {
            return name;
        }

        var kept = new StringBuilder();
        var bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > MaxBytes)
            {
                break;
            }

            kept.Append(rune.ToString());
        }

        return kept.ToString();
    }
}
