using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Refuses, before anything is written, the column settings that would otherwise leave a target column NULL
/// without a word: a <c>column_mapping</c> naming a column that does not exist, a <c>target_watermark</c> the
/// target lacks, and source columns PostgreSQL's 63-byte names cannot tell apart.
/// </summary>
internal static class MappedColumnCheck
{
    /// <summary>Throws SFPG2108, SFPG2107 or SFPG2109 for the first problem found.</summary>
    /// <param name="table">The table's config.</param>
    /// <param name="qualifiedTarget">The target as <c>schema.table</c>, for messages.</param>
    /// <param name="sourceColumns">The source's columns as described.</param>
    /// <param name="writableTargetColumns">The target's columns a load can write.</param>
    public static void ThrowIfUnresolved(
        TableConfig table, string qualifiedTarget, IReadOnlyList<string> sourceColumns, IReadOnlyList<string> writableTargetColumns)
    {
        var targets = new HashSet<string>(writableTargetColumns, StringComparer.Ordinal);
        var sources = new HashSet<string>(sourceColumns, StringComparer.Ordinal);
        var heading = $"Table {table.Source} -> {qualifiedTarget}";
        if (table.TargetWatermark is { } watermark && !targets.Contains(watermark))
        {
            throw new SfPgException(
                ErrorCatalog.TargetWatermarkMissing,
                $"{heading}: target_watermark \"{watermark}\" is not a writable column of {qualifiedTarget}{Suggestion(watermark, writableTargetColumns)}; its columns are {List(writableTargetColumns)}.",
                target: $"{qualifiedTarget}.{watermark}",
                recommendedAction: null);
        }

        foreach (var (source, target) in table.ColumnMapping)
        {
            if (source == table.SourceWatermark && target == table.TargetWatermark)
            {
                continue; // The watermark pair maps itself; its source column is the planner's to check.
            }

            if (!targets.Contains(target))
            {
                throw new SfPgException(
                    ErrorCatalog.ColumnMappingColumnMissing,
                    $"{heading}: column_mapping sends {source} to \"{target}\", which is not a writable column of {qualifiedTarget}{Suggestion(target, writableTargetColumns)}; its columns are {List(writableTargetColumns)}.",
                    target: $"{qualifiedTarget}.{target}",
                    recommendedAction: null);
            }

            if (!sources.Contains(source))
            {
                throw new SfPgException(
                    ErrorCatalog.ColumnMappingColumnMissing,
                    $"{heading}: column_mapping names source column {source}, which {table.Source} does not have{Suggestion(source, sourceColumns)}, so \"{target}\" would stay NULL; its columns are {List(sourceColumns)}.",
                    target: $"{table.Source}.{source}",
                    recommendedAction: null);
            }
        }

        foreach (var clash in ColumnMatcher.TruncationClashes(sourceColumns, table.ColumnMapping))
        {
            var kept = PostgresNameLength.Truncate(clash[0]);
            var landsOn = writableTargetColumns.FirstOrDefault(t => string.Equals(t, kept, StringComparison.OrdinalIgnoreCase));
            if (landsOn is null)
            {
                continue; // No target column takes them: they are skipped like any source column the target lacks.
            }

            throw new SfPgException(
                ErrorCatalog.SourceColumnsClashWhenTruncated,
                $"{heading}: source columns {string.Join(", ", clash)} are all \"{landsOn}\" once cut to PostgreSQL's {PostgresNameLength.MaxBytes} bytes, so which one fills it would be a guess.",
                target: $"{qualifiedTarget}.{landsOn}",
                recommendedAction: null);
        }
    }

    private static string Suggestion(string name, IEnumerable<string> candidates) =>
        NameSuggestion.Closest(name, candidates) is { } closest ? $" (did you mean '{closest}'?)" : "";

    private static string List(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));
}
