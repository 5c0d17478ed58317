namespace SnowPgMigration.Engine.Verification;

/// <summary>Which configured tables the integrity check covers.</summary>
public sealed record IntegrityOptions
{
    /// <summary>Only this source (<c>source_name</c>); null for every enabled source.</summary>
    public string? Source { get; init; }

    /// <summary>Only this table (target or source name, case ignored); null for every enabled table.</summary>
    public string? Table { get; init; }
}
