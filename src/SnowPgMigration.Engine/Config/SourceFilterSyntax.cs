using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Checks that a <c>source_filter</c> can only ever be one predicate: a small lexer over Snowflake SQL text
/// that knows string literals (<c>'...'</c> with <c>''</c>), quoted names (<c>"..."</c> with <c>""</c>),
/// <c>$$...$$</c> literals and comments, and reports what would let the filter escape the parentheses it is
/// wrapped in or swallow the SQL after it.
/// </summary>
/// <remarks>
/// Refused, outside literals and quoted names: any comment (<c>--</c>, <c>//</c>, <c>/*</c>), any <c>;</c>, and
/// a <c>)</c> without its <c>(</c> or a <c>(</c> left open; anywhere: an unterminated literal or quoted name.
/// Text the two dialects read differently is refused too: a backslash inside <c>'...'</c> (an escape in Snowflake,
/// not in PostgreSQL, which serves the emulator) and a <c>$name$</c> tag (a literal's start in PostgreSQL only),
/// since where such a literal ends would depend on who reads it.
/// </remarks>
public static class SourceFilterSyntax
{
    /// <summary>One problem of a filter: its catalogue entry and a message saying where.</summary>
    public sealed record Problem(ErrorCode Error, string Message);

    /// <summary>Every distinct problem of <paramref name="filter"/>, in order of appearance; empty when it is safe.</summary>
    public static IReadOnlyList<Problem> Check(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var problems = new List<Problem>();
        void Report(ErrorCode error, string message)
        {
            if (!problems.Exists(p => p.Error == error))
            {
                problems.Add(new Problem(error, message));
            }
        }

        var depth = 0;
        var i = 0;
        while (i < filter.Length)
        {
            var c = filter[i];
            var next = i + 1 < filter.Length ? filter[i + 1] : '\0';
            var position = i + 1;
            switch (c)
            {
                case '\'':
                    i = SkipString(filter, i, Report);
                    continue;
                case '"':
                    i = SkipQuoted(filter, i, '"', "quoted name", Report);
                    continue;
                case '$' when next == '$':
                    i = SkipDollarLiteral(filter, i, Report);
                    continue;
                case '$' when IsNameStart(next):
                    i = SkipVariable(filter, i, Report);
                    continue;
                case '-' when next == '-':
                case '/' when next is '/' or '*':
                    Report(ErrorCatalog.ConfigFilterComment, $"source_filter has a comment ('{c}{next}') at character {position}; it would hide the SQL placed after the filter.");
                    i = c == '/' && next == '*' ? SkipBlockComment(filter, i) : SkipLine(filter, i);
                    continue;
                case ';':
                    Report(ErrorCatalog.ConfigFilterStatementSeparator, $"source_filter has ';' at character {position}; a filter is one predicate, not statements.");
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (depth == 0)
                    {
                        Report(ErrorCatalog.ConfigFilterUnbalanced, $"source_filter closes a parenthesis it did not open at character {position}, which would let it escape the chunk's bounds.");
                    }
                    else
                    {
                        depth--;
                    }

                    break;
                default:
                    if (IsNameStart(c))
                    {
                        // A name as one word, so a '$' inside it (A$$B) is not read as a literal's start, as both
                        // dialects read it; digits alone stop before '$', where PostgreSQL starts a $$ literal.
                        i = SkipWhile(filter, i, ch => IsNameStart(ch) || char.IsAsciiDigit(ch) || ch == '$');
                        continue;
                    }

                    if (char.IsAsciiDigit(c))
                    {
                        i = SkipWhile(filter, i, char.IsAsciiDigit);
                        continue;
                    }

                    break;
            }

            i++;
        }

        if (depth > 0)
        {
            Report(ErrorCatalog.ConfigFilterUnbalanced, $"source_filter leaves {depth} parenthesis(es) open, which would swallow the SQL placed after it.");
        }

        return problems;
    }

    /// <summary>PostgreSQL's rule, which Snowflake's (ASCII letters and '_') fits inside: any non-ASCII character starts a name too.</summary>
    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    private static int SkipWhile(string filter, int start, Func<char, bool> part)
    {
        var i = start;
        while (i < filter.Length && part(filter[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// <c>$name</c> is a Snowflake session variable, but <c>$name$</c> opens a literal in PostgreSQL and not in
    /// Snowflake, so what is code and what is text would differ between the two.
    /// </summary>
    private static int SkipVariable(string filter, int start, Action<ErrorCode, string> report)
    {
        var end = SkipWhile(filter, start + 1, ch => IsNameStart(ch) || char.IsAsciiDigit(ch));
        if (end < filter.Length && filter[end] == '$')
        {
            report(ErrorCatalog.ConfigFilterDialectAmbiguity, $"source_filter has a {filter[start..(end + 1)]} tag at character {start + 1}, which PostgreSQL reads as the start of a literal and Snowflake does not.");
            return end + 1;
        }

        return end;
    }

    private static int SkipString(string filter, int start, Action<ErrorCode, string> report)
    {
        for (var i = start + 1; i < filter.Length; i++)
        {
            if (filter[i] == '\\')
            {
                report(ErrorCatalog.ConfigFilterDialectAmbiguity, $"source_filter has a backslash inside a string at character {i + 1}; Snowflake reads it as an escape.");
            }
            else if (filter[i] == '\'')
            {
                if (i + 1 < filter.Length && filter[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
        }

        report(ErrorCatalog.ConfigFilterUnterminated, $"source_filter has a string starting at character {start + 1} that never ends.");
        return filter.Length;
    }

    private static int SkipQuoted(string filter, int start, char quote, string what, Action<ErrorCode, string> report)
    {
        for (var i = start + 1; i < filter.Length; i++)
        {
            if (filter[i] != quote)
            {
                continue;
            }

            if (i + 1 < filter.Length && filter[i + 1] == quote)
            {
                i++;
                continue;
            }

            return i + 1;
        }

        report(ErrorCatalog.ConfigFilterUnterminated, $"source_filter has a {what} starting at character {start + 1} that never ends.");
        return filter.Length;
    }

    private static int SkipDollarLiteral(string filter, int start, Action<ErrorCode, string> report)
    {
        var end = filter.IndexOf("$$", start + 2, StringComparison.Ordinal);
        if (end >= 0)
        {
            return end + 2;
        }

        report(ErrorCatalog.ConfigFilterUnterminated, $"source_filter has a $$ literal starting at character {start + 1} that never ends.");
        return filter.Length;
    }

    private static int SkipLine(string filter, int start)
    {
        var end = filter.IndexOf('\n', start);
        return end < 0 ? filter.Length : end + 1;
    }

    private static int SkipBlockComment(string filter, int start)
    {
        var end = filter.IndexOf("*/", start + 2, StringComparison.Ordinal);
        return end < 0 ? filter.Length : end + 2;
    }
}
