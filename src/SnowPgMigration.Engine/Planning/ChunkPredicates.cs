using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Planning;

/// <summary>Snowflake predicates for chunk bounds. Every predicate is parenthesised and self-contained.</summary>
public static class ChunkPredicates
{
    public const string All = "1 = 1";

    /// <summary><c>key &gt;= lower AND key &lt; upper</c>, with either side left out when open.</summary>
    public static string Range(string key, object? lower, object? upper)
    {
        if (lower is null && upper is null)
        {
            return $"({key} IS NOT NULL)";
        }

        if (lower is null)
        {
            return $"({key} < {SnowflakeSql.Literal(upper!)})";
        }

        return upper is null
            ? $"({key} >= {SnowflakeSql.Literal(lower)})"
            : $"({key} >= {SnowflakeSql.Literal(lower)} AND {key} < {SnowflakeSql.Literal(upper)})";
    }

    /// <summary>
    /// A table's <c>source_filter</c> as one predicate, or null when there is none. Checked again here (config
    /// loading refuses the same filters) because a config can be built in code; the line breaks keep the closing
    /// parenthesis out of reach of anything the check could have missed at the end of the filter.
    /// </summary>
    /// <exception cref="SfPgException">SFPG1030-SFPG1034 when the filter could escape its parentheses or swallow the SQL after it.</exception>
    public static string? SourceFilter(string? filter, string table)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        var problems = SourceFilterSyntax.Check(filter);
        if (problems.Count > 0)
        {
            throw new SfPgException(
                problems[0].Error,
                $"Table {table}: {problems[0].Message} The filter is not sent to Snowflake.",
                target: $"{table}.source_filter",
                recommendedAction: null);
        }

        return "(\n" + filter + "\n)";
    }

    public static string IsNull(string key) => $"({key} IS NULL)";

    public static string In(string key, IEnumerable<object> values) =>
        $"({key} IN ({string.Join(", ", values.Select(v => SnowflakeSql.Literal(v)))}))";

    /// <summary>Every row whose key is NULL or none of <paramref name="values"/>.</summary>
    public static string NotIn(string key, IEnumerable<object> values)
    {
        var list = values.ToList();
        return list.Count == 0
            ? All
            : $"({key} IS NULL OR {key} NOT IN ({string.Join(", ", list.Select(v => SnowflakeSql.Literal(v)))}))";
    }

    public static string And(params string[] predicates)
    {
        var parts = predicates.Where(p => p != All).ToList();
        return parts.Count == 0 ? All : "(" + string.Join(" AND ", parts) + ")";
    }

    public static string Or(params string[] predicates) =>
        predicates.Contains(All) ? All : "(" + string.Join(" OR ", predicates) + ")";
}
