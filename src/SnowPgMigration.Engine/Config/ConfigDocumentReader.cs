using System.Text.Json;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Reads typed settings out of a parsed config document, expanding variables and collecting every problem
/// as a <see cref="ConfigFinding"/> instead of stopping at the first.
/// </summary>
internal sealed class ConfigDocumentReader
{
    private readonly string? _file;
    private readonly List<ConfigFinding> _findings = [];
    private readonly HashSet<string> _unresolvedPaths = new(StringComparer.Ordinal);

    public ConfigDocumentReader(string? file, VariableExpander variables)
    {
        _file = file;
        Variables = variables;
    }

    public VariableExpander Variables { get; }

    public IReadOnlyList<ConfigFinding> Findings => _findings;

    public bool HasErrors => _findings.Exists(f => f.IsError);

    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public static string Item(string path, int index) => $"{path}[{index}]";

    /// <summary>
    /// True when the value at <paramref name="path"/> used a variable that is not set: it was reported once,
    /// and checks that depend on the value stay quiet rather than report the same cause again.
    /// </summary>
    public bool IsUnresolved(string path) => _unresolvedPaths.Contains(path);

    public void MarkUnresolved(string path) => _unresolvedPaths.Add(path);

    public void Error(ErrorCode error, string path, string message, string? hint = null) =>
        Add(ConfigFindingSeverity.Error, error, path, message, hint);

    public void Warning(ErrorCode error, string path, string message, string? hint = null) =>
        Add(ConfigFindingSeverity.Warning, error, path, message, hint);

    public void Add(ConfigFindingSeverity severity, ErrorCode error, string path, string message, string? hint = null)
    {
        _findings.Add(new ConfigFinding
        {
            Severity = severity,
            Error = error,
            Path = path.Length == 0 ? "$" : path,
            Message = message,
            Hint = hint ?? error.RecommendedAction,
            File = _file,
        });
    }

    /// <summary>
    /// Wraps <paramref name="element"/> as a settings object, reporting a wrong type, unknown keys (with the
    /// closest known key) and duplicate keys. Null when the element is not an object.
    /// </summary>
    public ConfigObject? AsObject(JsonElement element, string path, IReadOnlyCollection<string> knownKeys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(ErrorCatalog.ConfigWrongType, path, $"expected an object {{ ... }} but found {Describe(element)}.");
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = Child(path, property.Name);
            if (!seen.Add(property.Name))
            {
                Error(ErrorCatalog.ConfigDuplicateKey, propertyPath, $"'{property.Name}' appears more than once in this object.");
                continue;
            }

            // A key starting with '_' is a comment: JSON has none, and configs commonly use "_comment".
            if (knownKeys.Contains(property.Name) || property.Name.StartsWith('_'))
            {
                continue;
            }

            var suggestion = NameSuggestion.Closest(property.Name, knownKeys);
            var known = string.Join(", ", knownKeys.Where(k => !k.StartsWith('$')).Order(StringComparer.Ordinal));
            Error(
                ErrorCatalog.ConfigUnknownKey,
                propertyPath,
                suggestion is null
                    ? $"unknown key '{property.Name}'."
                    : $"unknown key '{property.Name}'; did you mean '{suggestion}'?",
                suggestion is null
                    ? $"Known keys here: {known}. Remove the key or start it with '_' to keep it as a comment."
                    : $"Rename it to '{suggestion}'.");
        }

        return new ConfigObject(this, element, path);
    }

    /// <summary>Describes a JSON value by its type, never by its content (it may be a secret).</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Expands variables in a JSON string value, reporting unset and malformed references at <paramref name="path"/>.</summary>
    /// <param name="raw">The string as written in the file.</param>
    /// <param name="path">Where it was written.</param>
    /// <param name="secret">True for a secret setting: a malformed reference is then not quoted, as it may hold part of the secret.</param>
    public VariableExpansion ExpandString(string raw, string path, bool secret = false)
    {
        var expansion = Variables.Expand(raw);
        foreach (var name in expansion.UnsetVariables.Distinct(StringComparer.Ordinal))
        {
            Error(
                ErrorCatalog.ConfigVariableUnset,
                path,
                $"variable {name} is not set.",
                $"Set {name} in the environment or in the .env file, or write ${{{name}:-default}} to give a default.");
            MarkUnresolved(path);
        }

        foreach (var reference in expansion.MalformedReferences)
        {
            Error(
                ErrorCatalog.ConfigVariableMalformed,
                path,
                secret ? "the value holds a malformed ${...} reference (not shown: this setting is a secret)." : $"'{reference}' is not a valid variable reference.");
            MarkUnresolved(path);
        }

        return expansion;
    }
}
