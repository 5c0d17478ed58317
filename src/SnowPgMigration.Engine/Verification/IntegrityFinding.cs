namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// The result of one check on one target table: how many rows it found and the first keys of them.
/// A <see cref="Count"/> of 0 means the check passed.
/// </summary>
public sealed record IntegrityFinding
{
    public required string SourceName { get; init; }

    public required string Schema { get; init; }

    /// <summary>The target table (the config's <c>target</c>).</summary>
    public required string Table { get; init; }

    public required IntegrityCheck Check { get; init; }

    /// <summary>The columns checked: the key, the watermark, or the foreign key's columns.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Rows found: sharing a key, with a NULL key or watermark, or without a referenced row.</summary>
    public required long Count { get; init; }

    /// <summary>
    /// Up to <see cref="IntegrityChecker.SampleSize"/> keys in key order, as text (<c>42</c>, <c>(7, EU)</c>, NULL as
    /// <c>NULL</c>): duplicated keys, NULL keys, the keys of rows with a NULL watermark (empty without
    /// uniqueness_columns), or the foreign key values that have no referenced row.
    /// </summary>
    public required IReadOnlyList<string> SampleKeys { get; init; }

    /// <summary>For orphans: the constraint's name in the target, or the config relationship's name (its JSON path when unnamed).</summary>
    public string? Constraint { get; init; }

    /// <summary>For orphans: <c>orders(customer_id) -&gt; customers(id)</c>.</summary>
    public string? Relationship { get; init; }

    /// <summary>For orphans: <c>target</c> (a foreign key in pg_constraint) or <c>config</c> (<c>references</c>).</summary>
    public string? DeclaredIn { get; init; }
}
