using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// Lexical work on Snowflake SQL before PostgreSQL runs it: splitting a multi-statement request,
/// finding the database of a three-part name, and a small rewrite of Snowflake-isms PostgreSQL does
/// not accept. String literals, quoted identifiers and comments are never touched.
/// </summary>
internal static partial class SqlText
{
    /// <summary>Splits on semicolons outside literals and comments; empty pieces (a trailing <c>;</c>) are dropped.</summary>
    public static IReadOnlyList<string> Split(string sql)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        foreach (var (text, isCode) in Segments(sql))
        {
            if (!isCode)
            {
                current.Append(text);
                continue;
            }

            var parts = text.Split(';');
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    AddIfNotBlank(statements, current);
                    current.Clear();
                }

                current.Append(parts[i]);
            }
        }

        AddIfNotBlank(statements, current);
        return statements;
    }

    /// <summary>
    /// The database of the first three-part name after FROM, JOIN, INTO, UPDATE or TABLE
    /// (<c>"DB"."S"."T"</c> or <c>DB.S.T</c>), with quotes removed; null when there is none.
    /// </summary>
    public static string? FindDatabase(string sql)
    {
        var code = MaskLiteralsAndComments(sql);
        var match = ThreePartName().Match(code);
        if (!match.Success)
        {
            return null;
        }

        var name = sql.Substring(match.Groups["db"].Index, match.Groups["db"].Length);
        return name.StartsWith('"') ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;
    }

    /// <summary>The first keyword of a statement, upper case (<c>SELECT</c>, <c>INSERT</c>, ...).</summary>
    public static string FirstKeyword(string statement)
    {
        var code = MaskLiteralsAndComments(statement).TrimStart(' ', '\t', '\r', '\n', '(');
        var end = 0;
        while (end < code.Length && char.IsLetter(code[end]))
        {
            end++;
        }

        return code[..end].ToUpperInvariant();
    }

    /// <summary>
    /// Rewrites what PostgreSQL lacks: <c>?</c> placeholders become <c>$1..$n</c> (only when bindings
    /// were sent), <c>CURRENT_TIMESTAMP()</c> and friends lose their brackets, and
    /// <c>SYSTEM$WAIT(n)</c> sleeps n seconds and answers as Snowflake does.
    /// </summary>
    /// <remarks>
    /// Snowflake's timestamp type names become PostgreSQL's: TIMESTAMP_NTZ is <c>timestamp</c>,
    /// TIMESTAMP_LTZ and TIMESTAMP_TZ are <c>timestamptz</c>, and a bare <c>AS TIMESTAMP</c> follows
    /// <paramref name="timestampTypeMapping"/> (Snowflake's TIMESTAMP_TYPE_MAPPING, TIMESTAMP_NTZ by default).
    /// </remarks>
    public static string RewriteForPostgres(string statement, bool hasBindings, string? timestampTypeMapping = null)
    {
        var bareTimestampIsInstant = timestampTypeMapping is not null
            && !string.Equals(timestampTypeMapping, "TIMESTAMP_NTZ", StringComparison.OrdinalIgnoreCase);
        var output = new StringBuilder(statement.Length + 16);
        var placeholder = 0;
        foreach (var (text, isCode) in Segments(statement))
        {
            if (!isCode)
            {
                output.Append(text);
                continue;
            }

            var code = NiladicCall().Replace(text, m => m.Groups["name"].Value);
            code = SnowflakeTimestampType().Replace(code, m => m.Groups["kind"].Value.Equals("NTZ", StringComparison.OrdinalIgnoreCase) ? "timestamp" : "timestamptz");
            if (bareTimestampIsInstant)
            {
                code = BareTimestampCast().Replace(code, "AS timestamptz");
            }

            code = SystemWait().Replace(code, m =>
                $"(SELECT 'waited {m.Groups["n"].Value} seconds' FROM pg_sleep({m.Groups["n"].Value}))");
            if (hasBindings)
            {
                var withPlaceholders = new StringBuilder(code.Length + 8);
                foreach (var c in code)
                {
                    if (c == '?')
                    {
                        withPlaceholders.Append('$').Append((++placeholder).ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        withPlaceholders.Append(c);
                    }
                }

                code = withPlaceholders.ToString();
            }

            output.Append(code);
        }

        return output.ToString().Trim();
    }

    /// <summary>Replaces literals, quoted identifiers and comments with spaces, keeping every offset.</summary>
    internal static string MaskLiteralsAndComments(string sql)
    {
        var output = new StringBuilder(sql.Length);
        foreach (var (text, isCode) in Segments(sql))
        {
            if (isCode)
            {
                output.Append(text);
            }
            else if (text.StartsWith('"'))
            {
                output.Append(text); // quoted identifiers are names, which callers look for
            }
            else
            {
                output.Append(' ', text.Length);
            }
        }

        return output.ToString();
    }

    /// <summary>Cuts SQL into code and non-code pieces ('...', "...", $tag$...$tag$, -- and /* */ comments).</summary>
    internal static IEnumerable<(string Text, bool IsCode)> Segments(string sql)
    {
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            int end;
            if (c is '\'' or '"')
            {
                end = i + 1;
                while (end < sql.Length)
                {
                    if (sql[end] == c)
                    {
                        if (end + 1 < sql.Length && sql[end + 1] == c)
                        {
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    if (c == '\'' && sql[end] == '\\')
                    {
                        end++; // Snowflake string literals use backslash escapes
                    }

                    end++;
                }

                end = Math.Min(end + 1, sql.Length);
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + 2;
            }
            else if (c == '$' && (i == 0 || !(char.IsLetterOrDigit(sql[i - 1]) || sql[i - 1] is '_' or '$')) && DollarTag().Match(sql, i) is { Success: true } tag && tag.Index == i)
            {
                end = sql.IndexOf(tag.Value, i + tag.Length, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + tag.Length;
            }
            else
            {
                i++;
                continue;
            }

            if (i > start)
            {
                yield return (sql[start..i], true);
            }

            yield return (sql[i..end], false);
            start = i = end;
        }

        if (start < sql.Length)
        {
            yield return (sql[start..], true);
        }
    }

    private static void AddIfNotBlank(List<string> statements, StringBuilder current)
    {
        var text = current.ToString();
        var hasContent = Segments(text).Any(segment => segment.IsCode
            ? !string.IsNullOrWhiteSpace(segment.Text)
            : !segment.Text.StartsWith("--", StringComparison.Ordinal) && !segment.Text.StartsWith("/*", StringComparison.Ordinal));
        if (hasContent)
        {
            statements.Add(text.Trim());
        }
    }

    private const string Identifier = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";

    [GeneratedRegex(@"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?<db>" + Identifier + @")\s*\.\s*" + Identifier + @"\s*\.\s*" + Identifier, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThreePartName();

    [GeneratedRegex(@"\b(?<name>CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME)\s*\(\s*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NiladicCall();

    [GeneratedRegex(@"\bTIMESTAMP_(?<kind>NTZ|LTZ|TZ)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SnowflakeTimestampType();

    [GeneratedRegex(@"\bAS\s+TIMESTAMP\b(?!\s*(?:WITH|WITHOUT))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareTimestampCast();

    [GeneratedRegex(@"\bSYSTEM\$WAIT\s*\(\s*(?<n>[0-9]+(?:\.[0-9]+)?)\s*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SystemWait();

    [GeneratedRegex(@"\$[A-Za-z_]*\$")]
    private static partial Regex DollarTag();
}
