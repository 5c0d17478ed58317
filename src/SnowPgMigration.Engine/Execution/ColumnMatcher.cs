using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Pairs source columns with target columns: an explicit <c>column_mapping</c> first (which includes the
/// inferred watermark pair), then the exact name, then a name that differs only in case (Snowflake
/// upper-cases unquoted names, PostgreSQL lower-cases them) when exactly one target column matches, and for
/// a source name over 63 bytes the same two steps with the name PostgreSQL would have kept.
/// </summary>
/// <remarks>A target column named in the mapping is only ever filled by its mapped source column.</remarks>
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
        var mappedTargets = new HashSet<string>(mapping.Values, StringComparer.Ordinal);

        var pairs = new List<(string, int, string)>();
        var skipped = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sourceColumns.Count; i++)
        {
            var source = sourceColumns[i];
            string? target;
            if (mapping.TryGetValue(source, out var mapped))
            {
                target = exact.Contains(mapped) ? mapped : null;
            }
            else
            {
                target = ByName(source, exact, byFoldedName) ?? ByName(PostgresNameLength.Truncate(source), exact, byFoldedName);
                if (target is not null && mappedTargets.Contains(target))
                {
                    target = null;
                }
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

    /// <summary>
    /// Source columns that are over 63 bytes and, cut to 63 bytes as PostgreSQL would, land on the same name as
    /// another source column (case ignored); only those the mapping does not place. Each group in source order.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> TruncationClashes(
        IReadOnlyList<string> sourceColumns,
        IReadOnlyDictionary<string, string> mapping)
    {
        ArgumentNullException.ThrowIfNull(sourceColumns);
        ArgumentNullException.ThrowIfNull(mapping);
        return sourceColumns
            .Where(c => !mapping.ContainsKey(c))
            .GroupBy(PostgresNameLength.Truncate, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1 && g.Any(PostgresNameLength.IsTooLong))
            .Select(g => (IReadOnlyList<string>)g.ToList())
            .ToList();
    }

    private static string? ByName(string name, HashSet<string> exact, Dictionary<string, string> byFoldedName) =>
        exact.Contains(name) ? name : byFoldedName.GetValueOrDefault(name);
}
