using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// A parsed <c>COPY INTO 'azure://…' FROM (SELECT …) CREDENTIALS=(AZURE_SAS_TOKEN='…') FILE_FORMAT=(…)
/// MAX_FILE_SIZE=n DETAILED_OUTPUT=TRUE|FALSE HEADER=FALSE</c>: an unload to Azure Blob Storage.
/// Option names are case-insensitive; option values keep their case.
/// </summary>
internal sealed partial record UnloadStatement(
    string Location, string Query, string SasToken, IReadOnlyDictionary<string, string> FileFormat, long MaxFileSize, bool DetailedOutput)
{
    /// <summary>Snowflake's default MAX_FILE_SIZE: 16 MB.</summary>
    public const long DefaultMaxFileSize = 16 * 1024 * 1024;

    public static bool IsUnload(string statement) => UnloadStart().IsMatch(statement);

    public static UnloadStatement Parse(string statement)
    {
        var start = UnloadStart().Match(statement);
        if (!start.Success)
        {
            throw Syntax("expected COPY INTO '<azure://location>' FROM (<query>)");
        }

        var location = ReadString(statement, start.Groups["location"].Index - 1, out _);
        var open = statement.IndexOf('(', start.Index + start.Length - 1);
        var close = MatchingParenthesis(statement, open);
        var query = statement[(open + 1)..close].Trim();
        var options = ParseOptions(statement, close + 1);

        if (!options.TryGetValue("CREDENTIALS", out var credentials) || !ParseOptions(credentials, 0).TryGetValue("AZURE_SAS_TOKEN", out var sas))
        {
            throw new SnowflakeErrorException(new SnowflakeError(422, "091003",
                "Failure using stage area. Cause: [The emulator needs CREDENTIALS=(AZURE_SAS_TOKEN='...') for an azure:// location]", "XX000"));
        }

        var format = options.TryGetValue("FILE_FORMAT", out var formatText) ? ParseOptions(formatText, 0) : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var maxFileSize = options.TryGetValue("MAX_FILE_SIZE", out var size) ? long.Parse(size, NumberStyles.None, CultureInfo.InvariantCulture) : DefaultMaxFileSize;
        var detailed = options.TryGetValue("DETAILED_OUTPUT", out var detail) && detail.Equals("TRUE", StringComparison.OrdinalIgnoreCase);
        if (options.TryGetValue("OVERWRITE", out var overwrite) && !overwrite.Equals("TRUE", StringComparison.OrdinalIgnoreCase))
        {
            throw Syntax("the emulator always replaces files at the location; OVERWRITE=FALSE is not supported");
        }

        if (options.TryGetValue("HEADER", out var header) && !header.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
        {
            throw Syntax("the emulator writes CSV files without a header; HEADER=TRUE is not supported");
        }

        return new UnloadStatement(location, query, sas, format, maxFileSize, detailed);
    }

    /// <summary>
    /// <c>KEY=value</c> pairs: a value is a quoted string (unquoted here), a parenthesised list (kept as its inner
    /// text) or a bare word.
    /// </summary>
    private static Dictionary<string, string> ParseOptions(string text, int position)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            position = SkipSpace(text, position);
            if (position >= text.Length)
            {
                return options;
            }

            var key = OptionKey().Match(text, position);
            if (!key.Success || key.Index != position)
            {
                throw Syntax($"unexpected '{text[position..Math.Min(text.Length, position + 20)]}'");
            }

            position = SkipSpace(text, key.Index + key.Length);
            string value;
            if (text[position] == '\'')
            {
                value = ReadString(text, position, out position);
            }
            else if (text[position] == '(')
            {
                var close = MatchingParenthesis(text, position);
                value = text[(position + 1)..close];
                position = close + 1;
            }
            else
            {
                var end = position;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                value = text[position..end];
                position = end;
            }

            options[key.Groups["key"].Value] = value;
        }
    }

    /// <summary>A Snowflake string literal at <paramref name="start"/>: <c>''</c> and backslash escapes.</summary>
    private static string ReadString(string text, int start, out int end)
    {
        var value = new StringBuilder();
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[++i];
                value.Append(next switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => next });
            }
            else if (c == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                value.Append('\'');
                i++;
            }
            else if (c == '\'')
            {
                end = i + 1;
                return value.ToString();
            }
            else
            {
                value.Append(c);
            }
        }

        throw Syntax("unterminated string literal");
    }

    private static int MatchingParenthesis(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'':
                    ReadString(text, i, out var after);
                    i = after - 1;
                    break;
                case '"':
                    i = text.IndexOf('"', i + 1);
                    if (i < 0)
                    {
                        throw Syntax("unterminated quoted identifier");
                    }

                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i;
            }
        }

        throw Syntax("unbalanced parentheses");
    }

    private static int SkipSpace(string text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    private static SnowflakeErrorException Syntax(string detail) =>
        new(new SnowflakeError(422, "001003", $"SQL compilation error:\nsyntax error in COPY INTO <location>: {detail}.", "42000"));

    [GeneratedRegex(@"^\s*COPY\s+INTO\s+'(?<location>azure://[^']*)'\s+FROM\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnloadStart();

    [GeneratedRegex(@"(?<key>[A-Za-z_]+)\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex OptionKey();
}
