namespace SnowPgMigration.Engine.Errors;

/// <summary>
/// One entry of the error catalogue: a stable code (<c>SFPG1001</c>), what kind of failure it is,
/// a short title, and the action that usually fixes it.
/// </summary>
/// <remarks>
/// Codes are grouped by range: 1xxx configuration, 2xxx PostgreSQL, 3xxx Snowflake,
/// 4xxx execution, resume, administration and verification verdicts (SFPG4303), 50xx the unload path
/// through Azure Blob Storage, 59xx confirmations a host
/// could not get. A code never changes meaning once released.
/// </remarks>
public sealed record ErrorCode(string Code, ErrorKind Kind, string Title, string RecommendedAction)
{
    /// <summary>
    /// True when the same operation may succeed if it is simply tried again later (an outage, an overload, a
    /// connection that dropped); false when it fails the same way until something is changed. By default an
    /// unreachable, unavailable or timed-out resource is transient; entries that differ say so.
    /// <see cref="FailureClassification"/> reads it for every catalogued failure.
    /// </summary>
    public bool Transient { get; init; } = Kind is ErrorKind.Connection or ErrorKind.ResourceUnavailable or ErrorKind.Timeout;

    public override string ToString() => Code;
}
