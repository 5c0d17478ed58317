namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Pairs source columns with target columns: an explicit <c>column_mapping</c> first (which includes the
/// inferred watermark pair), then the exact name, then a name that differs only in case (Snowflake
/// upper-cases unquoted names, PostgreSQL lower-cases them) when exactly one target column matches.
/// </summary>
public static class ColumnMatcher
{
    public static ColumnMatch Match(
        IReadOnlyList<string> sourceColumns,
        IReadOnlyCollection<string> targetColumns,
        IReadOnlyDictionary<string, string> mapping)
    {
        ArgumentNullException.ThrowIfNull(sourceColumns);
        ArgumentNullException.ThrowIfNull(targetColumns);
        ArgumentNullException.ThrowIfNull(mapping);
        var exact = new HashSet<string>(targetColumns, StringComparer.Ordinal);
        var byFoldedName = targetColumns
            .GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single(), StringComparer.OrdinalIgnoreCase);

        var pairs = new List<(string, int, string)>();
        var skipped = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sourceColumns.Count; i++)
        {
            var source = sourceColumns[i];
            string? target = null;
            if (mapping.TryGetValue(source, out var mapped) && exact.Contains(mapped))
            {
                target = mapped;
            }
            else if (!mapping.ContainsKey(source) && exact.Contains(source))
            {
                target = source;
            }
            else if (!mapping.ContainsKey(source) && byFoldedName.TryGetValue(source, out var folded))
            {
                target = folded;
            }

            if (target is null || !used.Add(target))
            {
                skipped.Add(source);
                continue;
            }

            pairs.Add((source, i, target));
        }

        var unfilled = targetColumns.Where(t => !used.Contains(t)).ToList();
        return new ColumnMatch(pairs, skipped, unfilled);
    }
}
