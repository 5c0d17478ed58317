namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// What a keyed comparison of one range found: exact counts of rows only the source has (missing on the
/// target), rows only the target has (extra) and rows under the same key whose values differ (changed), with
/// the first keys of each as text (<c>id=42</c>, <c>region='EU', id=42</c>; for a table without
/// uniqueness_columns, the row's values).
/// </summary>
public sealed record KeyedRangeDifference
{
    /// <summary>The range as a Snowflake predicate (the table's scope included).</summary>
    public required string Predicate { get; init; }

    /// <summary>The same range's predicate on the target, its values as bound parameters.</summary>
    public required string TargetPredicate { get; init; }

    public required long SourceRows { get; init; }

    public required long TargetRows { get; init; }

    public required long Missing { get; init; }

    public required long Extra { get; init; }

    public required long Changed { get; init; }

    public required IReadOnlyList<string> MissingKeys { get; init; }

    public required IReadOnlyList<string> ExtraKeys { get; init; }

    public required IReadOnlyList<string> ChangedKeys { get; init; }

    public bool Differs => Missing + Extra + Changed > 0;
}

/// <summary>A table's keyed comparison: the ranges that differ and the totals over them.</summary>
public sealed record KeyedComparisonResult
{
    /// <summary>schema.table on the target.</summary>
    public required string Table { get; init; }

    /// <summary>The key compared by: the uniqueness columns, or "row hash".</summary>
    public required string Key { get; init; }

    public required IReadOnlyList<KeyedRangeDifference> Ranges { get; init; }

    /// <summary>Rows streamed from both sides and merged (rows of ranges proven equal by counts alone are not counted).</summary>
    public required long RowsCompared { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public long Missing => Ranges.Sum(r => r.Missing);

    public long Extra => Ranges.Sum(r => r.Extra);

    public long Changed => Ranges.Sum(r => r.Changed);

    public bool IsEqual => Ranges.Count == 0;

    /// <summary>The first keys of each kind of difference, labelled: "missing 42", "extra 43", "changed 7".</summary>
    public static IReadOnlyList<string> LabelledKeys(KeyedComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Ranges.SelectMany(d => d.MissingKeys.Select(k => "missing " + k)
                .Concat(d.ExtraKeys.Select(k => "extra " + k))
                .Concat(d.ChangedKeys.Select(k => "changed " + k)))
            .Take(KeyedComparisonOptions.DefaultSampleKeys)
            .ToList();
    }
}
