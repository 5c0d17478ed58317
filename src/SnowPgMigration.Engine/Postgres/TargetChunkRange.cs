using System.Text;
using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// A chunk's rows as found on the target: a PostgreSQL predicate rebuilt from the chunk's stored
/// bounds (never from its source predicate text) over the target's column names, with every value a
/// bound parameter. Re-loading a chunk deletes this range before copying it again; comparing or
/// repairing a chunk reads the same range.
/// </summary>
/// <remarks>
/// The range covers the chunk's key space only, not the table's <c>source_filter</c> or watermark scope,
/// which are source SQL: apply it where the target holds only rows of the run's scope (a COPY-loaded table).
/// Values are sent untyped, so PostgreSQL reads them as the column's own type; text keys compare
/// byte-wise (<c>COLLATE "C"</c>), as Snowflake's default collation does, whatever the column's collation.
/// </remarks>
public sealed class TargetChunkRange
{
    private const string ParameterPrefix = "chunk_range_";

    private static readonly HashSet<string> TextTypes = new(StringComparer.Ordinal) { "text", "varchar", "bpchar", "name" };

    private readonly List<string> _values;
    private readonly string _prefix;

    private TargetChunkRange(string predicate, List<string> values, string prefix)
    {
        Predicate = predicate;
        _values = values;
        _prefix = prefix;
    }

    /// <summary>A parenthesised predicate over the target table's columns (unqualified), using the parameters <see cref="Bind"/> adds.</summary>
    public string Predicate { get; }

    /// <summary>The bound values, in parameter order, as invariant text.</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>Adds the range's parameters to a command whose text includes <see cref="Predicate"/>.</summary>
    public void Bind(NpgsqlParameterCollection parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        for (var i = 0; i < _values.Count; i++)
        {
            parameters.Add(new NpgsqlParameter(_prefix + i, NpgsqlDbType.Unknown) { Value = _values[i] });
        }
    }

    /// <summary>Builds the target range of one chunk.</summary>
    /// <param name="table">The target table, for messages.</param>
    /// <param name="chunkId">The chunk, for messages.</param>
    /// <param name="strategy">The chunk's strategy name as stored (<c>key_range</c>, <c>date_range</c>, ...).</param>
    /// <param name="boundsJson">The chunk's stored bounds.</param>
    /// <param name="tableBoundsJson">The stored bounds of every chunk of the table: a grouped-values remainder is every value the others do not hold.</param>
    /// <param name="targetColumnOf">The target column a source column is copied to, or null when it is not copied.</param>
    /// <param name="parameterPrefix">Names this range's parameters, so several ranges can share one command.</param>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.ChunkReloadRangeUnavailable"/> for an offset page; <see cref="ErrorCatalog.ChunkRangeNotOnTarget"/>
    /// when the chunk's key is not copied to the target.
    /// </exception>
    public static TargetChunkRange For(
        string table,
        int chunkId,
        string strategy,
        string? boundsJson,
        IEnumerable<string?> tableBoundsJson,
        Func<string, TargetColumn?> targetColumnOf,
        string parameterPrefix = ParameterPrefix)
    {
        ArgumentNullException.ThrowIfNull(tableBoundsJson);
        ArgumentNullException.ThrowIfNull(targetColumnOf);
        var bounds = ChunkBoundsJson.Read(boundsJson) ?? new ChunkBounds(null);
        var known = ChunkStrategyNames.TryParse(strategy, out var parsed);
        if ((known && parsed == ChunkStrategy.Offset) || bounds.Offset is not null)
        {
            throw new SfPgException(
                ErrorCatalog.ChunkReloadRangeUnavailable,
                $"Table {table}, chunk {chunkId}: an offset page has no value range on the target, so its rows cannot be found again.",
                target: $"{table}#{chunkId}",
                recommendedAction: null);
        }

        var builder = new Builder(table, chunkId, targetColumnOf, parameterPrefix);
        if (bounds.Column is null)
        {
            return builder.Build("TRUE");
        }

        var key = builder.Key(bounds.Column, asDay: known && (parsed is ChunkStrategy.DateRange or ChunkStrategy.DateRangeWithSubChunks));
        string predicate;
        if (bounds.IsNullKeys)
        {
            predicate = $"({key} IS NULL)";
        }
        else if (bounds.IsRemainder)
        {
            var others = tableBoundsJson
                .Select(ChunkBoundsJson.Read)
                .Where(b => b is { IsRemainder: false, Values: not null })
                .SelectMany(b => b!.Values!)
                .ToList();
            predicate = others.Count == 0 ? "TRUE" : $"({key} IS NULL OR {key} NOT IN ({builder.List(others)}))";
        }
        else if (bounds.Values is { } values)
        {
            predicate = values.Count == 0 ? "FALSE" : $"({key} IN ({builder.List(values)}))";
        }
        else
        {
            predicate = builder.Range(key, bounds.Lower, bounds.Upper);
            if (bounds.SubColumn is { } subColumn)
            {
                var sub = builder.Key(subColumn, asDay: false);
                var subRange = builder.Range(sub, bounds.SubLower, bounds.SubUpper);
                // The planner gives rows with a NULL secondary key to the sub-range that is open below.
                predicate = bounds.SubLower is null
                    ? $"({predicate} AND ({sub} IS NULL OR {subRange}))"
                    : $"({predicate} AND {subRange})";
            }
        }

        return builder.Build(predicate);
    }

    /// <summary>Maps source column names to target columns through the pairs of a column match; exact names first, then a unique case-insensitive match.</summary>
    public static Func<string, TargetColumn?> ColumnResolver(IReadOnlyList<(string Source, TargetColumn Target)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return source =>
        {
            var exact = pairs.Where(p => string.Equals(p.Source, source, StringComparison.Ordinal)).ToList();
            if (exact.Count == 1)
            {
                return exact[0].Target;
            }

            var folded = pairs.Where(p => string.Equals(p.Source, source, StringComparison.OrdinalIgnoreCase)).ToList();
            return folded.Count == 1 ? folded[0].Target : null;
        };
    }

    private sealed class Builder(string table, int chunkId, Func<string, TargetColumn?> targetColumnOf, string prefix)
    {
        private readonly List<string> _values = [];

        public string Key(string sourceColumn, bool asDay)
        {
            var column = targetColumnOf(sourceColumn) ?? throw new SfPgException(
                ErrorCatalog.ChunkRangeNotOnTarget,
                $"Table {table}, chunk {chunkId}: its key column \"{sourceColumn}\" is not copied to any target column, so the rows of its range cannot be found on the target.",
                target: $"{table}#{chunkId}",
                recommendedAction: null);
            var quoted = PgIdentifier.Quote(column.Name);
            if (asDay)
            {
                return $"CAST({quoted} AS date)";
            }

            return TextTypes.Contains(column.TypeName) ? $"({quoted} COLLATE \"C\")" : quoted;
        }

        public string Range(string key, string? lower, string? upper) => (lower, upper) switch
        {
            (null, null) => $"({key} IS NOT NULL)",
            (null, _) => $"({key} < {Add(upper!)})",
            (_, null) => $"({key} >= {Add(lower!)})",
            _ => $"({key} >= {Add(lower!)} AND {key} < {Add(upper!)})",
        };

        public string List(IEnumerable<string> values)
        {
            var text = new StringBuilder();
            foreach (var value in values)
            {
                text.Append(text.Length == 0 ? "" : ", ").Append(Add(value));
            }

            return text.ToString();
        }

        public TargetChunkRange Build(string predicate) => new(predicate, _values, prefix);

        private string Add(string value)
        {
            _values.Add(value);
            return "@" + prefix + (_values.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
