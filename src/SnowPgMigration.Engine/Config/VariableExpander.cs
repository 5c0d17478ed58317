using System.Text;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Expands <c>${NAME}</c> and <c>${NAME:-default}</c> in config strings; <c>$${</c> is a literal <c>${</c>.
/// Looks in the process environment first, then in the .env file.
/// </summary>
internal sealed class VariableExpander
{
    private readonly Func<string, string?> _environment;
    private readonly IReadOnlyDictionary<string, string> _envFile;

    public VariableExpander(Func<string, string?> environment, IReadOnlyDictionary<string, string> envFile)
    {
        _environment = environment;
        _envFile = envFile;
    }

    /// <summary>The expanded text; unset and malformed references are reported and expand to nothing.</summary>
    public VariableExpansion Expand(string text)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new VariableExpansion(text, UsedVariables: false, [], []);
        }

        var result = new StringBuilder(text.Length);
        var unset = new List<string>();
        var malformed = new List<string>();
        var used = false;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                result.Append(text[i++]);
                continue;
            }

            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                result.Append("${");
                i += 3;
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] != '{')
            {
                result.Append(text[i++]);
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                malformed.Add(text[i..]);
                break;
            }

            var reference = text[(i + 2)..close];
            var defaultAt = reference.IndexOf(":-", StringComparison.Ordinal);
            var name = defaultAt >= 0 ? reference[..defaultAt] : reference;
            if (!DotEnvFile.IsVariableName(name))
            {
                malformed.Add(text[i..(close + 1)]);
            }
            else
            {
                used = true;
                var value = Lookup(name);
                if (defaultAt >= 0 && string.IsNullOrEmpty(value))
                {
                    value = reference[(defaultAt + 2)..];
                }

                if (value is null)
                {
                    unset.Add(name);
                }

                result.Append(value);
            }

            i = close + 1;
        }

        return new VariableExpansion(result.ToString(), used, unset, malformed);
    }

    private string? Lookup(string name) =>
        _environment(name) ?? (_envFile.TryGetValue(name, out var value) ? value : null);
}

/// <summary>The result of expanding one string.</summary>
internal sealed record VariableExpansion(
    string Value,
    bool UsedVariables,
    IReadOnlyList<string> UnsetVariables,
    IReadOnlyList<string> MalformedReferences);
