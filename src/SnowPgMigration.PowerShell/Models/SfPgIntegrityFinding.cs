using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>
/// One check of one target table by Test-SfPgIntegrity: what it counted and the first keys it found. Count 0 means
/// the check passed. <see cref="Source"/> and <see cref="Table"/> bind by property name.
/// </summary>
public sealed class SfPgIntegrityFinding
{
    private SfPgIntegrityFinding()
    {
    }

    /// <summary>The config's <c>source_name</c>.</summary>
    public string Source { get; private init; } = "";

    /// <summary>The target schema (<c>target_pg_schema</c>).</summary>
    public string Schema { get; private init; } = "";

    /// <summary>The target table (the config's <c>target</c>).</summary>
    public string Table { get; private init; } = "";

    /// <summary>duplicate_keys, null_keys, null_watermarks or orphaned_foreign_keys.</summary>
    public string Check { get; private init; } = "";

    /// <summary>The columns checked: the key, the watermark, or the foreign key's columns.</summary>
    public string[] Columns { get; private init; } = [];

    /// <summary>Rows found: sharing a key, with a NULL key or watermark, or without a referenced row.</summary>
    public long Count { get; private init; }

    /// <summary>Up to five keys in key order, as text: <c>42</c>, <c>(7, EU)</c>; NULL as <c>NULL</c>.</summary>
    public string[] SampleKeys { get; private init; } = [];

    /// <summary>For orphans: the foreign key's name in the target, or the config relationship's name.</summary>
    public string? Constraint { get; private init; }

    /// <summary>For orphans: <c>orders(customer_id) -&gt; customers(id)</c>.</summary>
    public string? Relationship { get; private init; }

    /// <summary>For orphans: target (a declared foreign key) or config (<c>references</c>).</summary>
    public string? DeclaredIn { get; private init; }

    /// <summary>The config the table was checked with; binds the -ConfigPath of the next command in a pipeline.</summary>
    public string ConfigPath { get; private init; } = "";

    internal static SfPgIntegrityFinding From(IntegrityFinding finding, string configPath) => new()
    {
        ConfigPath = configPath,
        Source = finding.SourceName,
        Schema = finding.Schema,
        Table = finding.Table,
        Check = IntegrityCheckNames.ToName(finding.Check),
        Columns = [.. finding.Columns],
        Count = finding.Count,
        SampleKeys = [.. finding.SampleKeys],
        Constraint = finding.Constraint,
        Relationship = finding.Relationship,
        DeclaredIn = finding.DeclaredIn,
    };

    public override string ToString() => $"{Table} {Check}: {Count}";
}
