using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// The same rows named on both sides: a Snowflake predicate (the table's scope included) and a PostgreSQL
/// predicate over the target's columns whose values are bound parameters, sent untyped so PostgreSQL reads
/// them as the column's own type.
/// </summary>
public sealed class KeyedRange
{
    private readonly IReadOnlyList<(string Name, string Value)> _parameters;

    private KeyedRange(string sourcePredicate, string targetPredicate, IReadOnlyList<(string Name, string Value)> parameters)
    {
        SourcePredicate = sourcePredicate;
        TargetPredicate = targetPredicate;
        _parameters = parameters;
    }

    /// <summary>The Snowflake predicate; also what reports show as the range.</summary>
    public string SourcePredicate { get; }

    public string TargetPredicate { get; }

    /// <summary>The whole table: its source_filter on the source, every row on the target.</summary>
    public static KeyedRange WholeTable(KeyedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new KeyedRange(table.SourceScope, "TRUE", []);
    }

    /// <summary>A chunk's range: its source predicate and its target range (<see cref="TargetChunkRange"/>).</summary>
    /// <remarks>
    /// Both must name the same rows: the target range covers the chunk's key space only, so the source predicate is the
    /// chunk's key range within the table's source_filter, without the watermark limit an incremental chunk reads with.
    /// </remarks>
    public static KeyedRange FromChunk(string sourcePredicate, TargetChunkRange targetRange)
    {
        ArgumentNullException.ThrowIfNull(sourcePredicate);
        ArgumentNullException.ThrowIfNull(targetRange);
        // TargetChunkRange names its parameters chunk_range_0, 1, ...
        var parameters = targetRange.Values.Select((v, i) => ("chunk_range_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), v)).ToList();
        return new KeyedRange(sourcePredicate, targetRange.Predicate, parameters);
    }

    /// <summary>This range split at <paramref name="splitSource"/> (a Snowflake literal) / <paramref name="splitTarget"/> (text) of one key column.</summary>
    /// <returns>The rows below the split, and the rows at or above it together with NULL keys (which sort last).</returns>
    internal (KeyedRange Below, KeyedRange AtOrAbove) Split(string sourceKey, string targetKey, string splitSource, string splitTarget)
    {
        var name = "keyed_split_" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var parameters = _parameters.Append((name, splitTarget)).ToList();
        var below = new KeyedRange(
            ChunkPredicates.And(SourcePredicate, $"({sourceKey} < {splitSource})"),
            $"({TargetPredicate} AND {targetKey} < @{name})",
            parameters);
        var above = new KeyedRange(
            ChunkPredicates.And(SourcePredicate, $"({sourceKey} >= {splitSource} OR {sourceKey} IS NULL)"),
            $"({TargetPredicate} AND ({targetKey} >= @{name} OR {targetKey} IS NULL))",
            parameters);
        return (below, above);
    }

    internal void Bind(NpgsqlParameterCollection parameters)
    {
        foreach (var (name, value) in _parameters)
        {
            parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Unknown) { Value = value });
        }
    }

    public override string ToString() => SourcePredicate;
}
