using System.Text;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// How a Snowflake table or column name written in the config becomes the name Snowflake stores.
/// </summary>
/// <remarks>
/// Snowflake folds unquoted identifiers to upper case and keeps quoted ones exactly, so <c>dimpayer</c> and
/// <c>DIMPAYER</c> name the same table while <c>"\"multipayer_payer\""</c> names a lower-case one. A name that
/// cannot be an unquoted identifier at all (<c>Payer Id</c>, with a space) can only exist quoted, so it is kept
/// exactly as written - that is the older tool's convention for column names, which this keeps working.
/// </remarks>
public static class SnowflakeName
{
    /// <summary>Normalises <paramref name="written"/>; false when it is malformed (an unbalanced or stray quote, empty).</summary>
    /// <param name="written">The name as written in the config.</param>
    /// <param name="normalized">The stored name, without quotes.</param>
    /// <param name="isUnquotedMixedCase">True when an unquoted name had both cases and was folded to upper case.</param>
    public static bool TryNormalize(string written, out string normalized, out bool isUnquotedMixedCase)
    {
        ArgumentNullException.ThrowIfNull(written);
        normalized = written;
        isUnquotedMixedCase = false;
        var name = written.Trim();
        if (name.Length == 0)
        {
            return false;
        }

        if (name[0] == '"')
        {
            return TryUnquote(name, out normalized);
        }

        if (name.Contains('"', StringComparison.Ordinal))
        {
            return false;
        }

        if (IsUnquotedIdentifier(name))
        {
            isUnquotedMixedCase = name.Any(char.IsLower) && name.Any(char.IsUpper);
            normalized = name.ToUpperInvariant();
            return true;
        }

        normalized = name;
        return true;
    }

    /// <summary>Normalises a name known to be well formed (see <see cref="TryNormalize"/>).</summary>
    public static string Normalize(string written) =>
        TryNormalize(written, out var normalized, out _)
            ? normalized
            : throw new ArgumentException($"'{written}' is not a well-formed Snowflake name.", nameof(written));

    /// <summary>Snowflake's unquoted identifier syntax: a letter or '_', then letters, digits, '_' or '$'.</summary>
    public static bool IsUnquotedIdentifier(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$');

    private static bool TryUnquote(string name, out string normalized)
    {
        normalized = name;
        if (name.Length < 3 || name[^1] != '"')
        {
            return false;
        }

        var inner = name[1..^1];
        var text = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] != '"')
            {
                text.Append(inner[i]);
                continue;
            }

            // Inside quotes a double quote is written twice; a single one ends the name early.
            if (i + 1 < inner.Length && inner[i + 1] == '"')
            {
                text.Append('"');
                i++;
                continue;
            }

            return false;
        }

        normalized = text.ToString();
        return true;
    }
}
