using System.Text.Json;

namespace SnowPgMigration.PowerShell.Completion;

/// <summary>
/// The source and table names of a config file, read without variable substitution or validation:
/// completion must work while the config is half-written and its secrets unset.
/// </summary>
internal static class ConfigNames
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Every <c>source_name</c>, in file order; empty when the file cannot be read.</summary>
    public static IReadOnlyList<string> Sources(string? configPath) =>
        ReadSources(configPath).Select(s => s.Name).ToList();

    /// <summary>The <c>target</c> names of the tables of <paramref name="source"/> (of every source when null).</summary>
    public static IReadOnlyList<string> Tables(string? configPath, string? source) =>
        ReadSources(configPath)
            .Where(s => source is null || string.Equals(s.Name, source, StringComparison.OrdinalIgnoreCase))
            .SelectMany(s => s.Tables)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static List<(string Name, List<string> Tables)> ReadSources(string? configPath)
    {
        var sources = new List<(string, List<string>)>();
        if (string.IsNullOrWhiteSpace(configPath) || !File.Exists(configPath))
        {
            return sources;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath), Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("sources", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return sources;
            }

            foreach (var source in list.EnumerateArray())
            {
                if (source.ValueKind != JsonValueKind.Object || Text(source, "source_name") is not { } name)
                {
                    continue;
                }

                var tables = new List<string>();
                if (source.TryGetProperty("tables", out var tableList) && tableList.ValueKind == JsonValueKind.Array)
                {
                    tables.AddRange(tableList.EnumerateArray()
                        .Where(t => t.ValueKind == JsonValueKind.Object)
                        .Select(t => Text(t, "target"))
                        .OfType<string>());
                }

                sources.Add((name, tables));
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // A file being edited is not valid JSON half the time; completion simply offers nothing.
        }

        return sources;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
