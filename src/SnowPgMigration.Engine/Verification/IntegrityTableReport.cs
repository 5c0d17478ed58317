using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Verification;

/// <summary>The checks of one target table, or why it could not be checked (table or column missing).</summary>
public sealed record IntegrityTableReport
{
    public required string SourceName { get; init; }

    public required string Schema { get; init; }

    public required string Table { get; init; }

    public IReadOnlyList<IntegrityFinding> Findings { get; init; } = [];

    /// <summary>Set when the table could not be checked; <see cref="Findings"/> is then empty.</summary>
    public SfPgException? Error { get; init; }

    /// <summary>True when some check found rows.</summary>
    public bool HasFindings => Findings.Any(f => f.Count > 0);
}
