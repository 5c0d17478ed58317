namespace SnowPgMigration.Engine.Errors;

/// <summary>
/// One entry of the error catalogue: a stable code (<c>SFPG1001</c>), what kind of failure it is,
/// a short title, and the action that usually fixes it.
/// </summary>
/// <remarks>
/// Codes are grouped by range: 1xxx configuration, 2xxx PostgreSQL, 3xxx Snowflake,
/// 4xxx execution and resume, 5xxx verification. A code never changes meaning once released.
/// </remarks>
public sealed record ErrorCode(string Code, ErrorKind Kind, string Title, string RecommendedAction)
{
    public override string ToString() => Code;
}
