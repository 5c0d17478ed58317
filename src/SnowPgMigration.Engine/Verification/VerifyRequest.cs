namespace SnowPgMigration.Engine.Verification;

/// <summary>What to verify: every enabled table, or one source's, or one table.</summary>
public sealed record VerifyRequest
{
    /// <summary>Only this source (source_name).</summary>
    public string? Source { get; init; }

    /// <summary>Only this table (target or source name).</summary>
    public string? Table { get; init; }

    /// <summary>Overrides each table's <c>verify</c>; a table set to <c>none</c> is still compared by counts.</summary>
    public VerifyDepth? Depth { get; init; }
}
