using System.Text;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// A parsed .env file: <c>NAME=value</c> lines, <c>#</c> comments, an optional <c>export </c> prefix,
/// single-quoted (literal) and double-quoted (escapes, may span lines - a PEM key) values.
/// </summary>
internal sealed class DotEnvFile
{
    private DotEnvFile(IReadOnlyDictionary<string, string> variables, IReadOnlyList<DotEnvProblem> problems)
    {
        Variables = variables;
        Problems = problems;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>Lines that are not <c>NAME=value</c>; the rest of the file is still read.</summary>
    public IReadOnlyList<DotEnvProblem> Problems { get; }

    public static DotEnvFile Parse(string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<DotEnvProblem>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? line[..equals].Trim() : "";
            if (equals <= 0 || !IsVariableName(name))
            {
                problems.Add(new DotEnvProblem(lineNumber, "is not NAME=value"));
                continue;
            }

            var rawValue = line[(equals + 1)..].TrimStart();
            if (rawValue.StartsWith('\''))
            {
                var end = rawValue.IndexOf('\'', 1);
                if (end < 0)
                {
                    problems.Add(new DotEnvProblem(lineNumber, $"opens a single-quoted value for {name} that never closes"));
                    continue;
                }

                variables[name] = rawValue[1..end];
            }
            else if (rawValue.StartsWith('"'))
            {
                if (!TryReadDoubleQuoted(lines, ref index, rawValue, out var value))
                {
                    problems.Add(new DotEnvProblem(lineNumber, $"opens a double-quoted value for {name} that never closes"));
                    continue;
                }

                variables[name] = value;
            }
            else
            {
                // An unquoted value ends at a " #" comment.
                var comment = rawValue.IndexOf(" #", StringComparison.Ordinal);
                variables[name] = (comment >= 0 ? rawValue[..comment] : rawValue).Trim();
            }
        }

        return new DotEnvFile(variables, problems);
    }

    public static bool IsVariableName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool TryReadDoubleQuoted(string[] lines, ref int index, string firstPart, out string value)
    {
        var text = new StringBuilder();
        var part = firstPart[1..];
        var lineIndex = index;
        while (true)
        {
            for (var i = 0; i < part.Length; i++)
            {
                var c = part[i];
                if (c == '"')
                {
                    value = text.ToString();
                    index = lineIndex;
                    return true;
                }

                if (c == '\\' && i + 1 < part.Length)
                {
                    i++;
                    text.Append(part[i] switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        var other => other,
                    });
                    continue;
                }

                text.Append(c);
            }

            lineIndex++;
            if (lineIndex >= lines.Length)
            {
                value = "";
                return false;
            }

            text.Append('\n');
            part = lines[lineIndex];
        }
    }
}

/// <summary>A .env line that could not be read.</summary>
internal sealed record DotEnvProblem(int Line, string Problem);
