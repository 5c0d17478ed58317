namespace SnowPgMigration.Engine.Config;

/// <summary>
/// The sources a command is asked for: one <c>source_name</c>, or several separated by commas
/// (<c>--source sales,finance</c>), as the older tool's <c>source_name</c> input allowed.
/// </summary>
public static class SourceSelection
{
    /// <summary>
    /// The names in <paramref name="selection"/>, trimmed, empty entries and repeats dropped; empty for null.
    /// A selection without a comma is one name, as written.
    /// </summary>
    public static IReadOnlyList<string> Names(string? selection)
    {
        if (string.IsNullOrWhiteSpace(selection))
        {
            return [];
        }

        return selection
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>True when there is no selection, or when it names <paramref name="sourceName"/> (case-insensitive, as runs select sources).</summary>
    public static bool Includes(string? selection, string sourceName) =>
        selection is null || Names(selection).Contains(sourceName, StringComparer.OrdinalIgnoreCase);
}
